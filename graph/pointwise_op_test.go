package graph

import (
	"math"
	"testing"
)

// TestPointwiseValues checks the activations against values PyTorch's
// torch.nn functions give (rounded to 1e-6).
func TestPointwiseValues(t *testing.T) {
	for _, c := range []struct {
		fn   pointwise
		x, y float64
	}{
		{relu6Fn, -1, 0}, {relu6Fn, 2.5, 2.5}, {relu6Fn, 7, 6},
		{leakyReLUFn(0.01), -2, -0.02}, {leakyReLUFn(0.01), 3, 3},
		{siluFn, 1, 0.731059}, {siluFn, -2, -0.238406},
		{hardSigmoidFn, -4, 0}, {hardSigmoidFn, 0, 0.5}, {hardSigmoidFn, 1.5, 0.75}, {hardSigmoidFn, 5, 1},
		{hardSwishFn, -4, 0}, {hardSwishFn, 1, 0.666667}, {hardSwishFn, -1, -0.333333}, {hardSwishFn, 4, 4},
	} {
		if got := c.fn.f(c.x); math.Abs(got-c.y) > 1e-6 {
			t.Errorf("%s(%v) = %v, want %v", c.fn.name, c.x, got, c.y)
		}
	}
}
