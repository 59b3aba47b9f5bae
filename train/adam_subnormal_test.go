package train

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamNoSubnormals: Adam's moments never hold a subnormal number, even
// for weights whose gradient dies (the second moment then decays through
// them for thousands of steps) or stays tiny (its square underflows), and
// the weights are bit for bit those of the textbook update, which keeps
// them.
func TestAdamNoSubnormals(t *testing.T) {
	const n, steps = 6, 50000
	o, err := NewOptimizer(OptConfig{Name: "adam", LR: 0.001}, []int{n})
	if err != nil {
		t.Fatal(err)
	}
	w := []float32{0.05, -0.3, 0.001, 1.5, -0.02, 0.7}
	ref := append([]float32(nil), w...)
	rm, rv := make([]float32, n), make([]float32, n)
	rng := rand.New(rand.NewPCG(1, 2))
	g := make([]float32, n)
	for s := 1; s <= steps; s++ {
		for j := range g {
			switch {
			case s <= 200: // normal gradients (some small), then...
				g[j] = float32(rng.NormFloat64() * []float64{1e-3, 1e-12}[j%2])
			case j < 3: // ...dead ones
				g[j] = 0
			default: // ...and tiny ones, whose squares underflow
				g[j] = float32(rng.NormFloat64() * 1e-25)
			}
		}
		o.Step([][]float32{w}, [][]float32{g}, 0.001)
		// The textbook update, subnormals kept.
		c1 := 1 - math.Pow(0.9, float64(s))
		c2 := 1 - math.Pow(0.999, float64(s))
		step, sqrtC2 := float32(0.001/c1), float32(math.Sqrt(c2))
		for j := range ref {
			d := g[j]
			rm[j] = 0.9*rm[j] + (1-float32(0.9))*d
			rv[j] = 0.999*rv[j] + (1-float32(0.999))*d*d
			ref[j] -= step * rm[j] / (float32(math.Sqrt(float64(rv[j])))/sqrtC2 + 1e-8)
		}
	}
	state, _ := o.State()
	for name, ts := range state {
		for _, x := range ts[0] {
			if x != 0 && math.Abs(float64(x)) < 0x1p-126 {
				t.Fatalf("%s holds the subnormal %g", name, x)
			}
		}
	}
	subnormals := 0
	for j := range rv {
		if rv[j] != 0 && rv[j] < 0x1p-126 {
			subnormals++
		}
	}
	if subnormals == 0 {
		t.Fatal("the textbook update kept no subnormal: the test does not exercise the flush")
	}
	for j := range w {
		if math.Float32bits(w[j]) != math.Float32bits(ref[j]) {
			t.Fatalf("weight %d: %g, the textbook update gives %g", j, w[j], ref[j])
		}
	}
}
