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

func TestOptimizerErrors(t *testing.T) {
	for _, c := range []OptConfig{{Name: "sgd"}, {Name: "rmsprop", LR: 1}, {Name: "sgd", LR: 1, Momentum: 1},
		{Name: "adam", LR: math.NaN()}, {Name: "adam", LR: 1, Beta1: 1}} {
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
