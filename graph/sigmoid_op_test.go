package graph

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestSigmoidMatchesGorgonia: a float32 network with convnets' sigmoid gets
// the loss and every weight gradient of the same network with Gorgonia's
// Sigmoid node, bit for bit, with inputs large enough to reach both of
// Gorgonia's thresholds; so runs trained before the op keep their weights.
func TestSigmoidMatchesGorgonia(t *testing.T) {
	run := func(own bool) (float64, [][]float32) {
		n, x := New(Config{Batch: 4, Input: [3]int{2, 6, 6}, Classes: 3})
		h := n.Conv("c", x, 3, K(3), Pad(1))
		if own {
			h = h.Sigmoid()
		} else {
			h = n.Custom("sig", Cost{Other: h.elems()}, func(in ...*G.Node) (*G.Node, error) { return G.Sigmoid(in[0]) }, h)
		}
		if err := n.SetOutput(n.Dense("out", n.Flatten("f", h), 3)); err != nil {
			t.Fatal(err)
		}
		if err := n.Init(5); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(3, 3))
		wide := func(r *rand.Rand) float32 { return float32(r.NormFloat64() * 40) } // past -88 and 15 after the conv
		p := compiled(t, n, rng, wide, []int{0, 2, 1, 1})
		defer p.Close()
		if err := p.Step(rng); err != nil {
			t.Fatal(err)
		}
		g, err := p.Grads()
		if err != nil {
			t.Fatal(err)
		}
		out := make([][]float32, len(g))
		for i := range g {
			out[i] = append([]float32(nil), g[i]...)
		}
		return p.Loss(), out
	}
	lossOwn, own := run(true)
	lossG, gorgonia := run(false)
	if math.Float64bits(lossOwn) != math.Float64bits(lossG) {
		t.Fatalf("loss %v, Gorgonia's %v", lossOwn, lossG)
	}
	for i := range own {
		for j := range own[i] {
			if math.Float32bits(own[i][j]) != math.Float32bits(gorgonia[i][j]) {
				t.Fatalf("parameter %d element %d: %v, with Gorgonia's sigmoid %v", i, j, own[i][j], gorgonia[i][j])
			}
		}
	}
}

// TestSigmoidThresholds: the float32 and float64 forms saturate where
// Gorgonia's do and pass NaN.
func TestSigmoidThresholds(t *testing.T) {
	if sigmoid32(-88.5) != 0 || sigmoid32(15.5) != 1 || sigmoid32(0) != 0.5 || !math.IsNaN(float64(sigmoid32(float32(math.NaN())))) {
		t.Fatal("float32 sigmoid")
	}
	if sigmoid64(-710) != 0 || sigmoid64(19.5) != 1 || sigmoid64(0) != 0.5 || !math.IsNaN(sigmoid64(math.NaN())) {
		t.Fatal("float64 sigmoid")
	}
}
