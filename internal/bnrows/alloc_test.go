package bnrows

import "testing"

// TestNoAllocations: the kernels allocate nothing (batch norm runs them for
// every image and channel of every step).
func TestNoAllocations(t *testing.T) {
	x, d, y := make([]float32, 67), make([]float32, 67), make([]float32, 67)
	a := Affine[float32]{A: 1}
	g := GradConsts[float32]{G: 1}
	if n := testing.AllocsPerRun(20, func() {
		Normalize(d, x, a)
		NormalizeClamp(d, x, a, 6)
		Grad(d, x, x, g)
		GradReLU(d, x, y, x, g)
		GradReLU6(d, x, y, x, g)
	}); n != 0 {
		t.Errorf("%v allocations a round", n)
	}
}
