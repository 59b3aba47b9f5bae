package workers

import (
	"strings"
	"sync/atomic"
	"testing"
)

func TestRun(t *testing.T) {
	var sum atomic.Int64
	Run(4, func(i int) { sum.Add(int64(i)) })
	if sum.Load() != 6 {
		t.Fatalf("sum %d", sum.Load())
	}
}

// TestPanicComesBack: a worker's panic reaches the caller, where recover
// sees it with the worker's message.
func TestPanicComesBack(t *testing.T) {
	got := func() (r any) {
		defer func() { r = recover() }()
		Run(3, func(i int) {
			if i == 1 {
				var s []int
				_ = s[5] // index out of range
			}
		})
		return nil
	}()
	p, ok := got.(Panic)
	if !ok || !strings.Contains(p.Error(), "index out of range") {
		t.Fatalf("recovered %v", got)
	}
}
