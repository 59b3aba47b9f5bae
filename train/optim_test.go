package train

import (
	"math"
	"testing"
)

// TestAdamMatchesFormula runs three Adam steps and compares them with the
// update of Kingma & Ba (PyTorch's form, L2 decay in the gradient) in
// float64.
func TestAdamMatchesFormula(t *testing.T) {
	c := OptConfig{Name: "adam", LR: 0.01, WeightDecay: 0.1}
	o, err := NewOptimizer(c, []int{2})
	if err != nil {
		t.Fatal(err)
	}
	w := []float32{1, -2}
	grads := [][]float32{{0.5, -0.25}, {0.1, 0.3}, {-0.2, 0.05}}
	ref := []float64{1, -2}
	m, v := make([]float64, 2), make([]float64, 2)
	for step, g := range grads {
		o.Step([][]float32{w}, [][]float32{g}, c.LR)
		for j := range ref {
			d := float64(g[j]) + 0.1*ref[j]
			m[j] = 0.9*m[j] + 0.1*d
			v[j] = 0.999*v[j] + 0.001*d*d
			mh := m[j] / (1 - math.Pow(0.9, float64(step+1)))
			vh := v[j] / (1 - math.Pow(0.999, float64(step+1)))
			ref[j] -= 0.01 * mh / (math.Sqrt(vh) + 1e-8)
		}
	}
	for j := range ref {
		if math.Abs(float64(w[j])-ref[j]) > 1e-6 {
			t.Fatalf("w[%d] = %v, formula %v", j, w[j], ref[j])
		}
	}
	if _, steps := o.State(); steps != 3 {
		t.Fatalf("%d steps recorded", steps)
	}
}

func TestSGDMomentumMatchesFormula(t *testing.T) {
	c := OptConfig{Name: "sgd", LR: 0.1, Momentum: 0.9, WeightDecay: 0.01}
	o, err := NewOptimizer(c, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	w := []float32{2}
	ref, buf := 2.0, 0.0
	for _, g := range []float32{1, -0.5, 0.25} {
		o.Step([][]float32{w}, [][]float32{{g}}, c.LR)
		d := float64(g) + 0.01*ref
		buf = 0.9*buf + d
		ref -= 0.1 * buf
	}
	if math.Abs(float64(w[0])-ref) > 1e-6 {
		t.Fatalf("w = %v, formula %v", w[0], ref)
	}
}

// TestLARSMatchesFormula runs three LARS steps on a weight and a bias that
// starts at zero, against timm's Lars in float64: d = g + wd*w scaled by
// trust*|w|/|d| (|w| of a zero tensor counting as sqrt(n)), then momentum.
func TestLARSMatchesFormula(t *testing.T) {
	c := OptConfig{Name: "lars", LR: 2, Momentum: 0.9, WeightDecay: 0.01, Trust: 0.02}
	o, err := NewOptimizer(c, []int{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	params := [][]float32{{3, -4}, {0, 0}}
	refs := [][]float64{{3, -4}, {0, 0}}
	bufs := [][]float64{{0, 0}, {0, 0}}
	grads := [][][]float32{{{50, 10}, {5, -1}}, {{-20, 40}, {2, 2}}, {{1, 1}, {-3, 0.5}}}
	for _, g := range grads {
		o.Step(params, g, c.LR)
		for i, ref := range refs {
			d := make([]float64, len(ref))
			var ww, dd float64
			for j := range ref {
				d[j] = float64(g[i][j]) + 0.01*ref[j]
				ww += ref[j] * ref[j]
				dd += d[j] * d[j]
			}
			if ww == 0 {
				ww = float64(len(ref))
			}
			trust := 0.02 * math.Sqrt(ww) / math.Sqrt(dd)
			for j := range ref {
				bufs[i][j] = 0.9*bufs[i][j] + trust*d[j]
				ref[j] -= 2 * bufs[i][j]
			}
		}
	}
	for i, ref := range refs {
		for j := range ref {
			if math.Abs(float64(params[i][j])-ref[j]) > 1e-5*(1+math.Abs(ref[j])) {
				t.Fatalf("param %d [%d] = %v, formula %v", i, j, params[i][j], ref[j])
			}
		}
	}
	// Each step moves the weight by lr*trust of its norm, however large the
	// gradient: the first one (no momentum yet) by exactly 2*0.02 = 4%.
	for _, scale := range []float32{1e-3, 1e3} {
		w := []float32{3, -4}
		if o, err = NewOptimizer(c, []int{2}); err != nil {
			t.Fatal(err)
		}
		o.Step([][]float32{w}, [][]float32{{50 * scale, 10 * scale}}, c.LR)
		moved := math.Hypot(float64(w[0])-3, float64(w[1])+4) / 5
		if math.Abs(moved-0.04) > 1e-4 {
			t.Errorf("gradient x%v: moved %.5f of the norm, want 0.04", scale, moved)
		}
	}
}

func TestOptimizerErrors(t *testing.T) {
	for _, c := range []OptConfig{{Name: "sgd"}, {Name: "rmsprop", LR: 1}, {Name: "sgd", LR: 1, Momentum: 1},
		{Name: "adam", LR: math.NaN()}, {Name: "adam", LR: 1, Beta1: 1}, {Name: "lars", LR: 1, Trust: -1},
		{Name: "lars", LR: 1, Trust: math.Inf(1)}} {
		if _, err := NewOptimizer(c, nil); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

func TestSchedules(t *testing.T) {
	const base, per, total = 1.0, 10, 100
	cases := []struct {
		s    Schedule
		step int64
		want float64
	}{
		{Schedule{}, 57, 1},
		{Schedule{Name: "cosine"}, 0, 1},
		{Schedule{Name: "cosine"}, 50, 0.5},
		{Schedule{Name: "cosine", Warmup: 1}, 4, 0.5},
		{Schedule{Name: "cosine", Warmup: 1}, 55, 0.5},
		{Schedule{Name: "step", StepEvery: 3, Gamma: 0.5}, 29, 1},
		{Schedule{Name: "step", StepEvery: 3, Gamma: 0.5}, 30, 0.5},
		{Schedule{Name: "step", StepEvery: 3, Gamma: 0.5}, 61, 0.25},
	}
	for _, c := range cases {
		if got := c.s.Rate(base, c.step, per, total); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%+v at step %d: %v, want %v", c.s, c.step, got, c.want)
		}
	}
	if err := (Schedule{Name: "linear"}).Validate(); err == nil {
		t.Error("unknown schedule accepted")
	}
}
