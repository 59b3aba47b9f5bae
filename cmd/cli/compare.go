package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

func runCompare(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	asMD := fs.Bool("md", false, "print a Markdown table")
	classes := fs.Int("classes", 0, "number of classes of every network compared (default: each one's)")
	timeIt := fs.Bool("time", false, "inception: also time each block forward and backward on random input")
	tbatch := fs.Int("time-batch", 8, "with -time: images per step")
	steps := fs.Int("steps", 5, "with -time: timed steps (the median is reported)")
	trainIt := fs.Bool("train", false, "train each network with the same job (-dataset: MNIST by default) and report accuracy and seconds per epoch")
	out := fs.String("out", "", "with -train: folder for the runs (default runs/compare-TIME)")
	plotFile := fs.String("plot", "", "also draw the rows' parameters and MACs as bar charts into FILE.png or FILE.svg")
	jf := addJobFlags(fs, 3)
	names, err := parseInterleaved(e, fs, "convnets compare inception -md\n  convnets compare lenet5 alexnet-d2l", args)
	if err != nil {
		return err
	}
	format, err := outputFormat(*asJSON, *asCSV, *asMD)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return usageError{fmt.Errorf("name 'inception' or at least one architecture")}
	}
	if err := checkPlotName(*plotFile); err != nil {
		return err
	}
	if *trainIt {
		return compareTraining(ctx, e, names, jf, *out, format, *plotFile)
	}
	var c *eval.Comparison
	if len(names) == 1 && names[0] == "inception" {
		if c, err = inceptionComparison(); err != nil {
			return err
		}
		if *timeIt {
			if *tbatch <= 0 || *steps <= 0 {
				return usageError{fmt.Errorf("-time-batch and -steps must be positive")}
			}
			if err := timeInception(c, *tbatch, *steps); err != nil {
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
	return writeComparison(e, c, format, plotFile)
}

// writeComparison prints c and draws it into plotFile when one is named.
func writeComparison(e *env, c *eval.Comparison, format string, plotFile *string) error {
	if *plotFile != "" {
		if err := c.Plot(*plotFile); err != nil {
			return err
		}
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

// compareTraining trains each named network (or, for "inception", the
// three networks of arch.InceptionStudyNets) with the same job and reports
// them side by side.
func compareTraining(ctx context.Context, e *env, names []string, jf *jobFlags, out, format, plotFile string) error {
	var specs []arch.Spec
	if len(names) == 1 && names[0] == "inception" {
		specs = arch.InceptionStudyNets()
	} else {
		for _, name := range names {
			spec, err := e.reg.Lookup(name)
			if err != nil {
				return usageError{err}
			}
			specs = append(specs, spec)
		}
	}
	if out == "" {
		out = filepath.Join("runs", "compare-"+time.Now().Format("20060102-150405"))
	}
	var entries []eval.Entry
	var results [][]train.EpochStats
	title := "MNIST"
	for _, spec := range specs {
		job, err := jf.job(spec, spec.Default)
		if err != nil {
			return err
		}
		title = datasets.Title(job.Dataset)
		history, err := runJob(ctx, spec, job, filepath.Join(out, spec.Name), e.stderr, e.stderr, &train.Lines{W: e.stderr, Quiet: true})
		if err != nil {
			return err
		}
		net, err := spec.New(spec.Default, graph.Config{})
		if err != nil {
			return err
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
	return writeComparison(e, c, format, &plotFile)
}

// timeInception times each block of the study forward and backward.
func timeInception(c *eval.Comparison, batch, steps int) error {
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

// outputFormat turns the -json, -csv and -md flags into a format name.
func outputFormat(asJSON, asCSV, asMD bool) (string, error) {
	n, format := 0, "text"
	for f, on := range map[string]bool{"json": asJSON, "csv": asCSV, "md": asMD} {
		if on {
			n, format = n+1, f
		}
	}
	if n > 1 {
		return "", usageError{fmt.Errorf("choose one of -json, -csv and -md")}
	}
	return format, nil
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
