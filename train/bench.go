package train

import (
	"math/rand/v2"
	"sort"
	"time"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// TimeTrainSteps measures whole training steps of p (forward, backward and
// the optimizer's update) on random images and labels drawn from seed: one
// warm-up step, then steps timed ones. It returns the durations sorted (the
// median is the middle one). The Net must be initialised; its weights are
// changed.
func TimeTrainSteps(p *graph.Program, opt OptConfig, steps int, seed uint64) ([]time.Duration, error) {
	if steps <= 0 {
		return nil, errors.New("train: time steps: no steps")
	}
	params := p.Values()
	sizes := make([]int, len(params))
	for i, v := range params {
		sizes[i] = len(v)
	}
	o, err := NewOptimizer(opt, sizes)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	x := p.Input()
	for i := range x {
		x[i] = rng.Float32()
	}
	cfg := p.Net().Config()
	labels := make([]int, cfg.Batch)
	for i := range labels {
		labels[i] = rng.IntN(cfg.Classes)
	}
	if err := p.SetLabels(labels); err != nil {
		return nil, err
	}
	times := make([]time.Duration, 0, steps)
	for i := 0; i <= steps; i++ {
		start := time.Now()
		if err := p.Step(rng); err != nil {
			return nil, err
		}
		grads, err := p.Grads()
		if err != nil {
			return nil, err
		}
		o.Step(params, grads, opt.LR)
		if i > 0 {
			times = append(times, time.Since(start))
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times, nil
}
