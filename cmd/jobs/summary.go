package jobs

import (
	"cmp"
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
)

// TimeSummary times forward and backward steps of spec at c on random
// input (batch images, the median of steps steps) into s.Timing.
func TimeSummary(s *eval.Summary, spec arch.Spec, c arch.Config, batch, steps int) error {
	n, x := graph.New(graph.Config{Batch: batch, Input: c.Input, Classes: c.Classes, Init: spec.Init})
	times, err := graph.TimeSteps(n, spec.Build(n, x, c), steps, 1)
	if err != nil {
		return err
	}
	s.Timing = &eval.CostRow{Name: spec.Name, MACs: s.MACs}
	s.Timing.SetTime(batch, times[len(times)/2], graph.StepFLOPs(s.Layers))
	return nil
}

// GradSummary measures each weight's gradient-to-weight norm ratio after
// one training step of spec at c from initialisation on random input of
// batch images, into s.
func GradSummary(s *eval.Summary, spec arch.Spec, c arch.Config, batch int) error {
	s.GradBatch = batch
	n, err := spec.New(c, graph.Config{Batch: batch})
	if err != nil {
		return err
	}
	s.GradRatios, err = graph.GradientRatios(n, 1)
	return err
}

// SummaryOptions are what a summary measures besides the counts: with Time,
// Steps timed steps (the median reported) at Batch images (0: 8); with
// Grads, the gradient ratios at Batch images (0: 64).
type SummaryOptions struct {
	Time, Grads  bool
	Batch, Steps int
}

// Summarize is the cost summary of net (built as spec at c) with the
// measurements o asks for.
func Summarize(spec arch.Spec, c arch.Config, net *graph.Net, o SummaryOptions) (*eval.Summary, error) {
	if o.Batch < 0 || o.Steps <= 0 {
		return nil, InputError{fmt.Errorf("-batch %d, -steps %d: -batch must not be negative (0: the default), -steps must be positive", o.Batch, o.Steps)}
	}
	s := eval.Summarize(spec.Name, net)
	if o.Time {
		if err := TimeSummary(s, spec, c, cmp.Or(o.Batch, 8), o.Steps); err != nil {
			return nil, err
		}
	}
	if o.Grads {
		if err := GradSummary(s, spec, c, cmp.Or(o.Batch, 64)); err != nil {
			return nil, err
		}
	}
	return s, nil
}
