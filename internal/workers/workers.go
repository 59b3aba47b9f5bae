package workers

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Panic is a worker's panic, raised again in the caller's goroutine with
// the worker's stack.
type Panic struct {
	Value any
	Stack []byte
}

func (p Panic) Error() string { return fmt.Sprintf("panic in a worker: %v\n%s", p.Value, p.Stack) }

// Run calls f(0) ... f(n-1), each in a goroutine of its own, and returns
// when all have; if any panicked, it panics with the first one's Panic.
func Run(n int, f func(i int)) {
	var wg sync.WaitGroup
	var once sync.Once
	var caught *Panic
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { caught = &Panic{Value: r, Stack: debug.Stack()} })
				}
			}()
			f(i)
		}()
	}
	wg.Wait()
	if caught != nil {
		panic(*caught)
	}
}
