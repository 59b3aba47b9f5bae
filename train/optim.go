package train

import (
	"math"

	"github.com/pkg/errors"
)

// OptConfig configures an optimizer. Zero fields take PyTorch's defaults
// (momentum 0, weight decay 0, Adam betas 0.9 and 0.999, epsilon 1e-8) and
// LARS's trust coefficient 0.001.
type OptConfig struct {
	Name        string  `json:"name"` // "sgd", "lars" or "adam"
	LR          float64 `json:"lr"`
	Momentum    float64 `json:"momentum,omitempty"`
	WeightDecay float64 `json:"weight_decay,omitempty"`
	Beta1       float64 `json:"beta1,omitempty"`
	Beta2       float64 `json:"beta2,omitempty"`
	Eps         float64 `json:"eps,omitempty"`
	// Trust is LARS's trust coefficient (0: 0.001, as You et al. 2017).
	Trust float64 `json:"trust,omitempty"`
}

// Optimizer updates parameters in place from their gradients. Its state
// (moments, step count) is exposed for checkpoints.
type Optimizer interface {
	// Step applies one update with learning rate lr.
	Step(params, grads [][]float32, lr float64)
	// State returns the optimizer's named buffers (live) and its step count.
	State() (buffers map[string][][]float32, steps int64)
	// SetSteps restores the step count.
	SetSteps(int64)
}

// NewOptimizer returns the optimizer c names for parameters of the given
// sizes.
func NewOptimizer(c OptConfig, sizes []int) (Optimizer, error) {
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return nil, errors.Errorf("optimizer: learning rate %v must be positive", c.LR)
	}
	if !(c.Momentum >= 0 && c.Momentum < 1) || !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) {
		return nil, errors.Errorf("optimizer: momentum %v must be in [0, 1) and weight decay %v not negative", c.Momentum, c.WeightDecay)
	}
	switch c.Name {
	case "sgd":
		return &sgd{c: c, v: buffers(sizes), chunks: newChunks(sizes)}, nil
	case "lars":
		if c.Trust == 0 {
			c.Trust = 0.001
		}
		if !(c.Trust > 0) || math.IsInf(c.Trust, 0) {
			return nil, errors.Errorf("optimizer: LARS trust coefficient %v must be positive", c.Trust)
		}
		return &sgd{c: c, v: buffers(sizes), chunks: newChunks(sizes), lars: true}, nil
	case "adam":
		if c.Beta1 == 0 {
			c.Beta1 = 0.9
		}
		if c.Beta2 == 0 {
			c.Beta2 = 0.999
		}
		if c.Eps == 0 {
			c.Eps = 1e-8
		}
		if !(c.Beta1 >= 0 && c.Beta1 < 1) || !(c.Beta2 >= 0 && c.Beta2 < 1) {
			return nil, errors.Errorf("optimizer: Adam betas %v, %v must be in [0, 1)", c.Beta1, c.Beta2)
		}
		if !(c.Eps > 0) || math.IsInf(c.Eps, 0) {
			return nil, errors.Errorf("optimizer: Adam epsilon %v must be positive", c.Eps)
		}
		return &adam{c: c, m: buffers(sizes), v: buffers(sizes), chunks: newChunks(sizes)}, nil
	}
	return nil, errors.Errorf("optimizer %q: want sgd, lars or adam", c.Name)
}

func buffers(sizes []int) [][]float32 {
	out := make([][]float32, len(sizes))
	for i, s := range sizes {
		out[i] = make([]float32, s)
	}
	return out
}

// sgd is PyTorch's SGD: g += wd*w; v = mu*v + g; w -= lr*v. With lars set
// it is LARS (You, Gitman & Ginsburg 2017, as timm's Lars): each tensor's
// g + wd*w is first scaled by larsScale, so that every layer moves by the
// same fraction of its norm however large its gradient is: lr*trust per step
// without momentum.
type sgd struct {
	c      OptConfig
	v      [][]float32
	chunks chunks
	scales []float32 // LARS's, per tensor
	steps  int64
	lars   bool
}

func (o *sgd) Step(params, grads [][]float32, lr float64) {
	mu, wd, eta := float32(o.c.Momentum), float32(o.c.WeightDecay), float32(lr)
	if o.scales == nil {
		o.scales = make([]float32, len(params))
	}
	for i, w := range params {
		o.scales[i] = 1
		if o.lars {
			o.scales[i] = larsScale(w, grads[i], wd, o.c.Trust)
		}
	}
	o.chunks.each(func(i, lo, hi int) {
		w, v, g, scale := params[i][lo:hi], o.v[i][lo:hi], grads[i][lo:hi], o.scales[i]
		v, g = v[:len(w)], g[:len(w)]
		for j := range w {
			d := (g[j] + wd*w[j]) * scale
			if mu != 0 {
				v[j] = mu*v[j] + d
				d = v[j]
			}
			w[j] -= eta * d
		}
	})
	o.steps++
}

// larsScale is trust*|w|/|g + wd*w|; a tensor of norm zero (a bias at
// its start) counts as having elements of RMS 1, as batch norm's scale
// starts, and a zero gradient leaves the scale at 1 (nothing to move). The norms are summed in float64 in index order: the same bits on
// any machine.
func larsScale(w, g []float32, wd float32, trust float64) float32 {
	var ww, gg float64
	for j := range w {
		d := float64(g[j] + wd*w[j])
		ww += float64(w[j]) * float64(w[j])
		gg += d * d
	}
	if gg == 0 {
		return 1
	}
	if ww == 0 {
		ww = float64(len(w))
	}
	return float32(trust * math.Sqrt(ww) / math.Sqrt(gg))
}

func (o *sgd) State() (map[string][][]float32, int64) {
	return map[string][][]float32{"velocity": o.v}, o.steps
}

func (o *sgd) SetSteps(s int64) { o.steps = s }

// Adam's moments keep no subnormal numbers (below float32's smallest normal,
// 2^-126): the second moment of a weight whose gradient has died decays by
// beta2 a step through seven decades of them, about 16,000 steps, and every
// operation on one takes the CPU's slow path (late in a 30-epoch VGG-11
// run, Adam's step took 32 ms instead of 5). A moment that small is zero
// to the update: the square root of the second moment is added to eps
// (1e-8), and the first is divided by at least eps, so the weight moves by
// less than 1e-32, below the rounding of any weight larger than 1e-25.
const (
	smallestNormal = 0x1p-126
	squareFloor    = 0x1p-63 // d*d is subnormal below it
)

// flushSubnormal is x, or zero when x is subnormal.
func flushSubnormal(x float32) float32 {
	if x < smallestNormal && x > -smallestNormal {
		return 0
	}
	return x
}

// adam is PyTorch's Adam (L2 weight decay added to the gradient, not AdamW).
type adam struct {
	c      OptConfig
	m, v   [][]float32
	chunks chunks
	steps  int64
}

func (o *adam) Step(params, grads [][]float32, lr float64) {
	o.steps++
	b1, b2 := o.c.Beta1, o.c.Beta2
	c1 := 1 - math.Pow(b1, float64(o.steps))
	c2 := 1 - math.Pow(b2, float64(o.steps))
	step := float32(lr / c1)
	sqrtC2 := float32(math.Sqrt(c2))
	eps, wd := float32(o.c.Eps), float32(o.c.WeightDecay)
	fb1, fb2 := float32(b1), float32(b2)
	o.chunks.each(func(i, lo, hi int) {
		w, m, v, g := params[i][lo:hi], o.m[i][lo:hi], o.v[i][lo:hi], grads[i][lo:hi]
		m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
		for j := range w {
			d := g[j] + wd*w[j]
			mj := fb1*m[j] + (1-fb1)*d
			vj := fb2 * v[j]
			if d > squareFloor || d < -squareFloor { // else d*d is subnormal or zero
				vj += (1 - fb2) * d * d
			}
			m[j], v[j] = flushSubnormal(mj), flushSubnormal(vj)
			w[j] -= step * m[j] / (float32(math.Sqrt(float64(v[j])))/sqrtC2 + eps)
		}
	})
}

func (o *adam) State() (map[string][][]float32, int64) {
	return map[string][][]float32{"exp_avg": o.m, "exp_avg_sq": o.v}, o.steps
}

func (o *adam) SetSteps(s int64) { o.steps = s }
