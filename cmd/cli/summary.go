package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/eval/plots"
	"github.com/convnets/convnets/graph"
)

func runSummary(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	af := addArchFlags(fs)
	format := addFormatFlags(fs, "print Markdown tables")
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
	spec, c, net, err := af.build(e)
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

// archFlags pick an architecture and its configuration (summary, diagram).
type archFlags struct {
	name, input *string
	classes     *int
	width       *float64
	aux         *bool
}

func addArchFlags(fs *flag.FlagSet) *archFlags {
	return &archFlags{
		name:    fs.String("arch", "lenet5", "architecture (see convnets list)"),
		input:   fs.String("input", "", "input CxHxW (default: the architecture's)"),
		classes: fs.Int("classes", 0, "number of classes (default: the architecture's)"),
		width:   fs.Float64("width", 0, "width multiplier of the channel counts (default: the architecture's)"),
		aux:     fs.Bool("aux", false, "include the auxiliary classifiers of the Inception family"),
	}
}

// build looks the architecture up and builds its graph (no weights) for
// the configuration the flags give.
func (f *archFlags) build(e *env) (arch.Spec, arch.Config, *graph.Net, error) {
	return jobs.Build(e.reg, *f.name, *f.input, *f.classes, *f.width, *f.aux)
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
