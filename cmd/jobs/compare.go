package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// InceptionComparison is the lecture's Inception cost study: the block
// against pure 3x3 and 5x5 convolutions of the same widths.
func InceptionComparison() (*eval.Comparison, error) {
	var entries []eval.Entry
	for _, b := range arch.InceptionStudy() {
		layers, out, err := b.Ledger(arch.InceptionStudyInput)
		if err != nil {
			return nil, err
		}
		entries = append(entries, eval.Entry{Name: b.Name, Description: b.Description, OutShape: out, Layers: layers})
	}
	return eval.InceptionReport(arch.InceptionStudyInput, entries)
}

// TimeInception times each block of the study in c forward and backward
// at batch, the median of steps steps.
func TimeInception(c *eval.Comparison, batch, steps int) error {
	blocks := arch.InceptionStudy()
	for i := range c.Rows {
		for _, b := range blocks {
			if b.Name != c.Rows[i].Name {
				continue
			}
			layers, _, err := b.Ledger(arch.InceptionStudyInput)
			if err != nil {
				return err
			}
			n, x := graph.New(graph.Config{Batch: batch, Input: arch.InceptionStudyInput, Classes: 1})
			times, err := graph.TimeSteps(n, b.Build(n, x), steps, 1)
			if err != nil {
				return err
			}
			c.Rows[i].SetTime(batch, times[len(times)/2], graph.StepFLOPs(layers))
		}
	}
	c.Notes = append(c.Notes, fmt.Sprintf("ms/step: median of %d forward and backward steps at batch %d on this machine (the loss is the "+
		"sum of the block's output; weights get gradients, the input does not); GFLOP/s counts 2 x MACs for each pass of each layer "+
		"(forward, weight gradient, and input gradient where one is needed).", steps, batch))
	return nil
}

// CompareCosts compares the costs of the networks named, or for the one
// name "inception" the lecture's Inception study (with timeIt, each block
// also timed forward and backward at batch over steps); classes, when not
// 0, sets every network's classes.
func CompareCosts(reg *arch.Registry, names []string, classes int, timeIt bool, batch, steps int) (*eval.Comparison, error) {
	if len(names) != 1 || names[0] != "inception" {
		return CompareArchs(reg, names, classes)
	}
	c, err := InceptionComparison()
	if err != nil || !timeIt {
		return c, err
	}
	if batch <= 0 || steps <= 0 {
		return nil, InputError{fmt.Errorf("-time-batch and -steps must be positive")}
	}
	return c, TimeInception(c, batch, steps)
}

// CompareArchs is the cost comparison of the registered networks names at
// their default configurations, with classes outputs each (0: their own).
func CompareArchs(reg *arch.Registry, names []string, classes int) (*eval.Comparison, error) {
	var entries []eval.Entry
	for _, name := range names {
		spec, err := reg.Lookup(name)
		if err != nil {
			return nil, InputError{err}
		}
		ac, err := ArchConfig(spec, "", classes, 0, false)
		if err != nil {
			return nil, err
		}
		net, err := spec.New(ac, graph.Config{})
		if err != nil {
			return nil, err
		}
		entries = append(entries, eval.Entry{Name: name, Description: spec.Description, OutShape: []int{ac.Classes}, Layers: net.Ledger()})
	}
	return eval.ArchReport(entries), nil
}

// CompareTraining trains each of specs with the job that job gives for it
// into a run directory named after it in out, and compares their costs,
// test accuracies and seconds per epoch side by side.
func CompareTraining(ctx context.Context, specs []arch.Spec, job func(arch.Spec) (train.Job, error), out string, o Output) (*eval.Comparison, error) {
	var entries []eval.Entry
	var results [][]train.EpochStats
	title := "MNIST"
	for _, spec := range specs {
		j, err := job(spec)
		if err != nil {
			return nil, err
		}
		title = datasets.Title(j.Dataset)
		history, err := Run(ctx, spec, j, filepath.Join(out, spec.Name), o)
		if err != nil {
			return nil, err
		}
		net, err := spec.New(spec.Default, graph.Config{})
		if err != nil {
			return nil, err
		}
		entries = append(entries, eval.Entry{Name: spec.Name, Description: spec.Description, OutShape: []int{spec.Default.Classes}, Layers: net.Ledger()})
		results = append(results, history)
	}
	c := eval.Compare(fmt.Sprintf("Trained side by side on %s: same data, seed, optimizer and epochs (runs in %s)", title, out), nil, entries)
	for i, h := range results {
		var secs float64
		for _, s := range h {
			secs += s.Seconds
		}
		c.Rows[i].Epochs, c.Rows[i].TestAccuracy, c.Rows[i].SecondsPerEpoch = len(h), h[len(h)-1].TestAcc, secs/float64(len(h))
	}
	return c, nil
}

// TrainAndCompare trains the networks named (or, for the one name
// "inception", the three networks of arch.InceptionStudyNets) each with
// the job of the flags, into run directories under out, and compares them.
func (f *Flags) TrainAndCompare(ctx context.Context, reg *arch.Registry, names []string, out string, o Output) (*eval.Comparison, error) {
	specs := arch.InceptionStudyNets()
	if len(names) != 1 || names[0] != "inception" {
		var err error
		if specs, err = Presets(reg, strings.Join(names, ",")); err != nil {
			return nil, err
		}
	}
	job := func(spec arch.Spec) (train.Job, error) {
		job, _, err := f.Job(reg, spec, spec.Default, "")
		return job, err
	}
	return CompareTraining(ctx, specs, job, out, o)
}
