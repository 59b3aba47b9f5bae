package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/eval/plots"
)

func runSummary(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	af := jobs.AddArchFlags(fs)
	format := jobs.AddFormatFlags(fs, "print Markdown tables")
	timeIt := fs.Bool("time", false, "also time forward and backward steps on random input")
	grads := fs.Bool("grads", false, "also measure each weight's gradient-to-weight norm ratio after one training step from initialisation on random input")
	batch := fs.Int("batch", 0, "with -time: images per step (default 8); with -grads: the batch (default 64)")
	steps := fs.Int("steps", 3, "with -time: timed steps (the median is reported)")
	plotFile := fs.String("plot", "", "also draw parameters and MACs per layer (per stage for large networks) into FILE.png or FILE.svg")
	if err := parse(e, fs, "convnets summary -arch lenet5 -json", args); err != nil {
		return err
	}
	f, err := format()
	if err != nil {
		return err
	}
	if err := checkPlotName(*plotFile); err != nil {
		return err
	}
	spec, c, net, err := af.Build(e.reg)
	if err != nil {
		return err
	}
	s, err := jobs.Summarize(spec, c, net, jobs.SummaryOptions{Time: *timeIt, Grads: *grads, Batch: *batch, Steps: *steps})
	if err != nil {
		return err
	}
	if *plotFile != "" {
		if err := plots.Summary(*plotFile, s); err != nil {
			return err
		}
	}
	return s.Write(e.stdout, f)
}

// checkPlotName refuses a -plot file name that is neither .png nor .svg
// before any work is done.
func checkPlotName(name string) error {
	if err := plots.CheckName(name); err != nil {
		return usageError{fmt.Errorf("-plot %w", err)}
	}
	return nil
}

func runList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object per architecture (or recipe), a line each")
	asMD := fs.Bool("md", false, "print a Markdown table of the architectures with their parameters and MACs")
	recipes := fs.Bool("recipes", false, "list the presets' recipes: the job train uses for each dataset unless flags say otherwise")
	if err := parse(e, fs, "convnets list -json\n  convnets list -md\n  convnets list -recipes", args); err != nil {
		return err
	}
	switch {
	case *asMD && (*asJSON || *recipes):
		return usageError{fmt.Errorf("-md goes alone")}
	case *asMD:
		return jobs.WriteListMarkdown(e.stdout, e.reg)
	case *recipes:
		return jobs.WriteRecipes(e.stdout, e.reg, *asJSON)
	}
	return jobs.WriteList(e.stdout, e.reg, *asJSON)
}
