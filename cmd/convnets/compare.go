package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
)

func runCompare(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	asMD := fs.Bool("md", false, "print a Markdown table")
	classes := fs.Int("classes", 0, "number of classes of every network compared (default: each one's)")
	timeIt := fs.Bool("time", false, "inception: also time each block forward and backward on random input")
	batch := fs.Int("batch", 8, "with -time: images per step")
	steps := fs.Int("steps", 5, "with -time: timed steps (the median is reported)")
	names, err := parseInterleaved(e, fs, "convnets compare inception -md\n  convnets compare lenet5 alexnet-d2l", args)
	if err != nil {
		return err
	}
	format := "text"
	switch {
	case *asJSON && !*asCSV && !*asMD:
		format = "json"
	case *asCSV && !*asJSON && !*asMD:
		format = "csv"
	case *asMD && !*asJSON && !*asCSV:
		format = "md"
	case *asJSON || *asCSV || *asMD:
		return usageError{fmt.Errorf("choose one of -json, -csv and -md")}
	}
	if len(names) == 0 {
		return usageError{fmt.Errorf("name 'inception' or at least one architecture")}
	}
	var c *eval.Comparison
	if len(names) == 1 && names[0] == "inception" {
		if c, err = inceptionComparison(); err != nil {
			return err
		}
		if *timeIt {
			if *batch <= 0 || *steps <= 0 {
				return usageError{fmt.Errorf("-batch and -steps must be positive")}
			}
			if err := timeInception(c, *batch, *steps); err != nil {
				return err
			}
		}
	} else {
		var entries []eval.Entry
		for _, name := range names {
			spec, err := e.reg.Lookup(name)
			if err != nil {
				return usageError{err}
			}
			ac, err := archConfig(spec, "", *classes, 0, false)
			if err != nil {
				return usageError{err}
			}
			net, err := spec.New(ac, graph.Config{})
			if err != nil {
				return err
			}
			entries = append(entries, eval.Entry{Name: name, Description: spec.Description,
				OutShape: []int{ac.Classes}, Layers: net.Ledger()})
		}
		c = eval.ArchReport(entries)
	}
	return c.Write(e.stdout, format)
}

// inceptionComparison builds the lecture's Inception cost study.
func inceptionComparison() (*eval.Comparison, error) {
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

// timeInception times each block of the study forward and backward.
func timeInception(c *eval.Comparison, batch, steps int) error {
	blocks := arch.InceptionStudy()
	for i := range c.Rows {
		for _, b := range blocks {
			if b.Name != c.Rows[i].Name {
				continue
			}
			n, x := graph.New(graph.Config{Batch: batch, Input: arch.InceptionStudyInput, Classes: 1})
			times, err := graph.TimeSteps(n, b.Build(n, x), steps, 1)
			if err != nil {
				return err
			}
			c.Rows[i].SetTime(batch, times[len(times)/2])
		}
	}
	c.Notes = append(c.Notes, fmt.Sprintf("ms/step: median of %d forward and backward steps at batch %d on this machine (the loss is the "+
		"sum of the block's output; weights get gradients); GFLOP/s counts 3 x 2 x MACs per image.", steps, batch))
	return nil
}

// parseInterleaved parses flags that may stand before, between or after
// the positional arguments, and returns the positional ones.
func parseInterleaved(e *env, fs *flag.FlagSet, example string, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(e, fs, example, args); err != nil {
			if u, ok := err.(usageError); !ok || fs.NArg() == 0 || u.Error() != fmt.Sprintf("unexpected argument %q", fs.Arg(0)) {
				return nil, err
			}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
