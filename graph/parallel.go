package graph

import (
	"runtime"
	"sync"
)

// parallelFor runs f over [0, n) split into contiguous chunks, one per core
// when there are at least minPer items per chunk, else in one call. The
// chunks must be independent (each writes only its own items), so the
// result does not depend on the number of cores.
func parallelFor(n, minPer int, f func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/max(1, minPer))
	if workers <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() { defer wg.Done(); f(lo, hi) }()
	}
	wg.Wait()
}
