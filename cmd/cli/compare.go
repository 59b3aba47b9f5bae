package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/eval/plots"
	"github.com/convnets/convnets/train"
)

func runCompare(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	format := jobs.AddFormatFlags(fs, "print a Markdown table")
	classes := fs.Int("classes", 0, "number of classes of every network compared (default: each one's)")
	timeIt := fs.Bool("time", false, "inception: also time each block forward and backward on random input")
	tbatch := fs.Int("time-batch", 8, "with -time: images per step")
	steps := fs.Int("steps", 5, "with -time: timed steps (the median is reported)")
	trainIt := fs.Bool("train", false, "train each network with the same job (-dataset: MNIST by default) and report accuracy and seconds per epoch")
	out := fs.String("out", "", "with -train: folder for the runs (default runs/compare-TIME)")
	plotFile := fs.String("plot", "", "also draw the rows' parameters and MACs as bar charts into FILE.png or FILE.svg")
	jf := jobs.AddFlags(fs, 3)
	names, err := parseInterleaved(e, fs, "convnets compare inception -md\n  convnets compare lenet5 alexnet-d2l", args)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return usageError{fmt.Errorf("name 'inception' or at least one architecture")}
	}
	if err := checkPlotName(*plotFile); err != nil {
		return err
	}
	f, err := format()
	if err != nil {
		return err
	}
	if *trainIt {
		return compareTraining(ctx, e, names, jf, *out, f, *plotFile)
	}
	c, err := jobs.CompareCosts(e.reg, names, *classes, *timeIt, *tbatch, *steps)
	if err != nil {
		return err
	}
	return writeComparison(e, c, f, plotFile)
}

// writeComparison prints c and draws it into plotFile when one is named.
func writeComparison(e *env, c *eval.Comparison, format string, plotFile *string) error {
	if *plotFile != "" {
		if err := plots.Comparison(*plotFile, c); err != nil {
			return err
		}
	}
	return c.Write(e.stdout, format)
}

// compareTraining trains each named network (or the three of the
// lecture's Inception study) with the job of the flags and prints them.
func compareTraining(ctx context.Context, e *env, names []string, jf *jobs.Flags, out, format, plotFile string) error {
	if out == "" {
		out = filepath.Join("runs", "compare-"+time.Now().Format("20060102-150405"))
	}
	c, err := jf.TrainAndCompare(ctx, e.reg, names, out, jobs.Output{Log: e.stderr, Warn: e.stderr, Progress: &train.Lines{W: e.stderr, Quiet: true}})
	if err != nil {
		return err
	}
	return writeComparison(e, c, format, &plotFile)
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
