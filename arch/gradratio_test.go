package arch

import (
	"math"
	"testing"

	"github.com/convnets/convnets/graph"
)

// TestGradientExplosion pins the finding behind the LARS recipes: after one
// step from initialisation, the gradient-to-weight ratios of the plain
// batch-normalised Inception v3 stack spread far wider than those of the
// shallower Inception-BN, and LeNet-5 with batch norm has one ratio per
// convolution and dense weight.
func TestGradientExplosion(t *testing.T) {
	spread := func(name string) (float64, int) {
		t.Helper()
		s, err := Builtin().Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.New(s.Default, graph.Config{Batch: 32})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := graph.GradientRatios(n, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if !(r.Ratio > 0) || math.IsInf(r.Ratio, 0) {
				t.Fatalf("%s %s: ratio %v", name, r.Param, r.Ratio)
			}
		}
		lo, hi := graph.RatioExtremes(rs)
		return hi.Ratio / lo.Ratio, len(rs)
	}
	if _, k := spread("lenet5-bn"); k != 5 {
		t.Errorf("lenet5-bn: %d weights, want 5 (c1, c3, f5, f6, output)", k)
	}
	bn, _ := spread("inception-bn-mnist")
	v3, _ := spread("inception-v3-mnist")
	t.Logf("max/min gradient ratio: Inception-BN %.0f, Inception v3 %.0f", bn, v3)
	if !(v3 > 3*bn) {
		t.Errorf("Inception v3's spread %.0f is not well above Inception-BN's %.0f", v3, bn)
	}
}
