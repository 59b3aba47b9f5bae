package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
)

func runSummary(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	af := addArchFlags(fs)
	asJSON := fs.Bool("json", false, "print a JSON object")
	asCSV := fs.Bool("csv", false, "print the layers as CSV")
	asMD := fs.Bool("md", false, "print Markdown tables")
	timeIt := fs.Bool("time", false, "also time forward and backward steps on random input")
	grads := fs.Bool("grads", false, "also measure each weight's gradient-to-weight norm ratio after one training step from initialisation on random input")
	batch := fs.Int("batch", 0, "with -time: images per step (default 8); with -grads: the batch (default 64)")
	steps := fs.Int("steps", 3, "with -time: timed steps (the median is reported)")
	plotFile := fs.String("plot", "", "also draw parameters and MACs per layer (per stage for large networks) into FILE.png or FILE.svg")
	if err := parse(e, fs, "convnets summary -arch lenet5 -json", args); err != nil {
		return err
	}
	spec, c, net, err := af.build(e)
	if err != nil {
		return err
	}
	s := eval.Summarize(spec.Name, net)
	if *batch < 0 || *steps <= 0 {
		return usageError{fmt.Errorf("-batch %d, -steps %d: -batch must not be negative (0: the default), -steps must be positive", *batch, *steps)}
	}
	if *timeIt {
		b := cmp.Or(*batch, 8)
		n, x := graph.New(graph.Config{Batch: b, Input: c.Input, Classes: c.Classes, Init: spec.Init})
		times, err := graph.TimeSteps(n, spec.Build(n, x, c), *steps, 1)
		if err != nil {
			return err
		}
		s.Timing = &eval.CostRow{Name: spec.Name, MACs: s.MACs}
		s.Timing.SetTime(b, times[len(times)/2], graph.StepFLOPs(s.Layers))
	}
	if *grads {
		s.GradBatch = cmp.Or(*batch, 64)
		n, err := spec.New(c, graph.Config{Batch: s.GradBatch})
		if err != nil {
			return err
		}
		if s.GradRatios, err = graph.GradientRatios(n, 1); err != nil {
			return err
		}
	}
	format, err := outputFormat(*asJSON, *asCSV, *asMD)
	if err != nil {
		return err
	}
	if err := checkPlotName(*plotFile); err != nil {
		return err
	}
	if *plotFile != "" {
		if err := s.Plot(*plotFile); err != nil {
			return err
		}
	}
	return s.Write(e.stdout, format)
}

// checkPlotName refuses a -plot file name that is neither .png nor .svg
// before any work is done.
func checkPlotName(name string) error {
	if name == "" {
		return nil
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, f := range eval.PlotFormats {
		if ext == f {
			return nil
		}
	}
	return usageError{fmt.Errorf("-plot %q: want a file name ending in .png or .svg", name)}
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
	spec, err := e.reg.Lookup(*f.name)
	if err != nil {
		return spec, arch.Config{}, nil, usageError{err}
	}
	c, err := archConfig(spec, *f.input, *f.classes, *f.width, *f.aux)
	if err != nil {
		return spec, c, nil, usageError{err}
	}
	net, err := spec.New(c, graph.Config{})
	return spec, c, net, err
}

// archConfig is spec's default configuration with the flags that were
// given: input "CxHxW", classes, width (0: the default) and aux.
func archConfig(spec arch.Spec, input string, classes int, width float64, aux bool) (arch.Config, error) {
	c := spec.Default
	var err error
	if input != "" {
		if c.Input, err = parseShape(input); err != nil {
			return c, err
		}
	}
	if classes < 0 || classes > train.MaxClasses {
		return c, fmt.Errorf("-classes %d: must be between 1 and %d", classes, train.MaxClasses)
	} else if classes > 0 {
		c.Classes = classes
	}
	if !(width >= 0 && width <= train.MaxWidth) {
		return c, fmt.Errorf("-width %v: must be positive and at most %v", width, train.MaxWidth)
	} else if width > 0 {
		if scales, err := spec.ScalesWithWidth(); err != nil {
			return c, err
		} else if !scales {
			return c, fmt.Errorf("-width %v: %s has fixed widths (it ignores -width)", width, spec.Name)
		}
		c.Width = width
	}
	c.Aux = aux
	return c, nil
}

// jobConfig is the architecture configuration a job was trained with.
func jobConfig(j train.Job) arch.Config {
	return arch.Config{Input: j.Input, Classes: j.Classes, Width: j.Width, Aux: j.Aux}
}

// parseShape reads "CxHxW".
func parseShape(s string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(s, "x")
	if len(parts) != 3 {
		return out, fmt.Errorf("input %q: want CxHxW, such as 1x28x28", s)
	}
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v <= 0 {
			return out, fmt.Errorf("input %q: want three positive integers CxHxW", s)
		}
		out[i] = v
	}
	if out[0] > train.MaxInputChannels || max(out[1], out[2]) > train.MaxInputSide {
		return out, fmt.Errorf("input %q: at most %d channels and %d pixels a side", s, train.MaxInputChannels, train.MaxInputSide)
	}
	return out, nil
}

func runList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object per architecture (or recipe), a line each")
	recipes := fs.Bool("recipes", false, "list the presets' recipes: the job train uses for each dataset unless flags say otherwise")
	if err := parse(e, fs, "convnets list -json\n  convnets list -recipes", args); err != nil {
		return err
	}
	if *recipes {
		return listRecipes(e, *asJSON)
	}
	enc := json.NewEncoder(e.stdout)
	w := nameWidth(e.reg)
	for _, name := range e.reg.Names() {
		s, _ := e.reg.Lookup(name)
		if *asJSON {
			if err := enc.Encode(struct {
				Name        string  `json:"name"`
				Input       [3]int  `json:"input"`
				Classes     int     `json:"classes"`
				Width       float64 `json:"width,omitempty"`
				Description string  `json:"description"`
			}{name, s.Default.Input, s.Default.Classes, s.Default.Width, s.Description}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%-*s  %-10s %4d classes  %s\n", w, name, graph.ShapeString(s.Default.Input[:]), s.Default.Classes, s.Description)
	}
	return nil
}

// listRecipes prints every preset's recipes, a line each (or a JSON object
// each).
func listRecipes(e *env, asJSON bool) error {
	enc := json.NewEncoder(e.stdout)
	w := nameWidth(e.reg)
	for _, name := range e.reg.Names() {
		s, _ := e.reg.Lookup(name)
		for _, r := range s.Recipes {
			if asJSON {
				if err := enc.Encode(struct {
					Arch string `json:"arch"`
					arch.Recipe
					Summary string `json:"summary"`
				}{name, r, r.String()}); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(e.stdout, "%-*s  %-13s  %s\n  %*s  %-13s  chosen: %s\n", w, name, r.Dataset, r, w, "", "", r.Why)
		}
	}
	return nil
}

// nameWidth is the length of the longest registered name.
func nameWidth(reg *arch.Registry) int {
	w := 0
	for _, name := range reg.Names() {
		w = max(w, len(name))
	}
	return w
}
