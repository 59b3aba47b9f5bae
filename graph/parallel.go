package graph

import (
	"runtime"

	"github.com/convnets/convnets/internal/workers"
)

// team is how many goroutines the ops of one Net may use: every core
// (GOMAXPROCS) unless set lower, as for each of several replicas that run
// side by side. A nil team means every core.
type team struct{ n int }

// size is the team's number of goroutines, at least 1.
func (t *team) size() int {
	p := runtime.GOMAXPROCS(0)
	if t == nil || t.n <= 0 {
		return p
	}
	return min(t.n, p)
}

// parallelFor runs f over [0, n) split into contiguous chunks, one per
// goroutine of the team when there are at least minPer items per chunk,
// else in one call. The chunks must be independent (each writes only its
// own items), so the result does not depend on the team's size.
func (t *team) parallelFor(n, minPer int, f func(lo, hi int)) {
	nw := min(t.size(), n/max(1, minPer))
	if nw <= 1 {
		f(0, n)
		return
	}
	workers.Run(nw, func(w int) { f(n*w/nw, n*(w+1)/nw) })
}
