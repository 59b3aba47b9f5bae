package graph

import (
	"math"
	"math/rand/v2"
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

// TestReLU6GradKinks: the float32 ReLU6 gradient passes dy strictly inside
// (0, 6) and nothing at the kinks, outside or for NaN, as PyTorch.
func TestReLU6GradKinks(t *testing.T) {
	nan := float32(math.NaN())
	x := []float32{-1, 0, 0.5, 5.99, 6, 7, nan}
	want := []float32{0, 0, 2, 2, 0, 0, 0}
	dy, out := []float32{2, 2, 2, 2, 2, 2, 2}, make([]float32, len(x))
	relu6Grad(x, dy, out)
	for i := range want {
		if out[i] != want[i] {
			t.Errorf("x %v: gradient %v, want %v", x[i], out[i], want[i])
		}
	}
}

// BenchmarkReLU6Grad times the float32 ReLU6 gradient on 65,536 values of
// random sign and size (half of them inside (0, 6)): a branch there would
// mispredict.
func BenchmarkReLU6Grad(b *testing.B) {
	n := 1 << 16
	x, dy, out := make([]float32, n), make([]float32, n), make([]float32, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i], dy[i] = float32(r.NormFloat64()*4), 1
	}
	b.SetBytes(int64(12 * n))
	for b.Loop() {
		relu6Grad(x, dy, out)
	}
}
