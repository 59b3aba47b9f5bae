package graph

import (
	"math"
	"math/rand/v2"

	"github.com/pkg/errors"
)

// GradRatio is one weight tensor's gradient norm over its own norm after a
// training step: the fraction of its norm that a plain SGD step at rate 1
// would move it.
type GradRatio struct {
	Param string  `json:"param"`
	Shape []int   `json:"shape"`
	Ratio float64 `json:"ratio"`
}

// GradientRatios runs one training step of n (initialised from seed, random
// input in [0, 1), random labels, batch norm on batch statistics, dropout
// masks drawn) and returns |grad|/|w| of every convolution and dense weight
// (the randomly initialised tensors), in creation order: input side first.
// A deep network whose first ratios exceed its last ones by orders of
// magnitude has the gradient explosion of batch-normalised plain stacks
// (Yang et al. 2019), which one global SGD rate cannot serve; LARS's
// layer-wise rates can. n must have an output (SetOutput) and must not be
// compiled yet; it is initialised here, and its batch norm's running
// statistics move by one step.
func GradientRatios(n *Net, seed uint64) ([]GradRatio, error) {
	if err := n.Init(seed); err != nil {
		return nil, err
	}
	p, err := compile(n, nil, nil, true, false) // no forward-only machine
	if err != nil {
		return nil, err
	}
	defer p.Close()
	rng := rand.New(rand.NewPCG(seed, 2))
	in := p.Input()
	for i := range in {
		in[i] = rng.Float32()
	}
	labels := make([]int, n.cfg.Batch)
	for i := range labels {
		labels[i] = rng.IntN(n.cfg.Classes)
	}
	if err := p.SetLabels(labels); err != nil {
		return nil, err
	}
	if err := p.Step(rng); err != nil {
		return nil, err
	}
	grads, err := p.Grads()
	if err != nil {
		return nil, err
	}
	vals := p.Values()
	var out []GradRatio
	for i, prm := range n.params {
		if prm.Init == Zeros || prm.Init == Ones { // biases, batch norm, scales
			continue
		}
		var gg, ww float64
		for j, g := range grads[i] {
			gg += float64(g) * float64(g)
			ww += float64(vals[i][j]) * float64(vals[i][j])
		}
		if ww == 0 {
			return nil, errors.Errorf("graph: gradient ratios: %s is all zeros", prm.Name)
		}
		out = append(out, GradRatio{Param: prm.Name, Shape: prm.Shape, Ratio: math.Sqrt(gg / ww)})
	}
	if len(out) == 0 {
		return nil, errors.New("graph: gradient ratios: the network has no weights")
	}
	return out, nil
}

// RatioExtremes returns the smallest and the largest of rs (which must not
// be empty): their quotient is the spread that summary -grads reports.
func RatioExtremes(rs []GradRatio) (lo, hi GradRatio) {
	lo, hi = rs[0], rs[0]
	for _, r := range rs[1:] {
		if r.Ratio < lo.Ratio {
			lo = r
		}
		if r.Ratio > hi.Ratio {
			hi = r
		}
	}
	return lo, hi
}
