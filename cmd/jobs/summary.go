package jobs

import (
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
