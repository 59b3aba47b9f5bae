package graph

import (
	"math/rand/v2"
	"sort"
	"time"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TimeSteps measures forward and backward passes of the part of n that ends
// in out, as PyTorch's `net(x).sum().backward()`: random input, the loss is
// the sum of out, gradients are taken for the weights (not the input). It
// initialises n from seed, runs one warm-up step, then steps timed steps,
// and returns their durations sorted (the median is the middle one). n must
// not have an output set; it is spent afterwards.
func TimeSteps(n *Net, out *Tensor, steps int, seed uint64) ([]time.Duration, error) {
	if err := n.Err(); err != nil {
		return nil, err
	}
	if !n.ok(out) || steps <= 0 {
		return nil, errors.New("graph: time steps: no output, or no steps")
	}
	if err := n.Init(seed); err != nil {
		return nil, err
	}
	loss, err := sumAll(out.node)
	if err != nil {
		return nil, errors.Wrap(err, "graph: time steps")
	}
	learn := n.Learnables()
	if _, err := G.Grad(loss, learn...); err != nil {
		return nil, errors.Wrap(err, "graph: time steps: gradient")
	}
	s := n.input.Shape()
	rng := rand.New(rand.NewPCG(seed, 1))
	if n.dt != tensor.Float32 {
		return nil, errors.New("graph: time steps: float32 networks only")
	}
	x := make([]float32, prod(s))
	for i := range x {
		x[i] = rng.Float32()
	}
	if err := G.Let(n.input.node, tensor.New(tensor.WithShape(s...), tensor.WithBacking(x))); err != nil {
		return nil, err
	}
	if err := n.setMasks(true, rng); err != nil {
		return nil, err
	}
	vm := G.NewTapeMachine(n.g, G.BindDualValues(learn...))
	defer vm.Close()
	times := make([]time.Duration, 0, steps)
	for i := 0; i <= steps; i++ {
		start := time.Now()
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			return nil, errors.Wrap(err, "graph: time steps")
		}
		if i > 0 {
			times = append(times, time.Since(start))
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times, nil
}
