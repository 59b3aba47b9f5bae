package graph

import (
	"testing"

	"github.com/convnets/convnets/internal/bnrows"
)

// TestBatchNormRowsAllocateNothing: the float32 dispatch to bnrows' kernels
// (type switches through pointers to the slices) allocates nothing.
func TestBatchNormRowsAllocateNothing(t *testing.T) {
	x, d, y := make([]float32, 64), make([]float32, 64), make([]float32, 64)
	if n := testing.AllocsPerRun(20, func() {
		for _, act := range []bnAct{bnNone, bnReLU, bnReLU6} {
			normalizeRun(d, x, bnrows.Affine[float32]{A: 1}, act)
			gradRun(d, x, y, x, bnrows.GradConsts[float32]{G: 1}, act)
		}
	}); n != 0 {
		t.Errorf("%v allocations a round", n)
	}
}
