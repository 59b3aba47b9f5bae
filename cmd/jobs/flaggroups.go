package jobs

import (
	"flag"
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
)

// ModelFlags name trained weights, as eval, predict and serve take them: a
// run directory (and which of its checkpoints) or a safetensors file (and
// its architecture).
type ModelFlags struct{ run, which, weights, arch *string }

// AddModelFlags registers -run, -checkpoint, -weights and -arch on fs.
func AddModelFlags(fs *flag.FlagSet) *ModelFlags {
	return &ModelFlags{
		run:     fs.String("run", "", "run directory written by convnets train"),
		which:   fs.String("checkpoint", "final", "which weights of -run: final (weights.ckpt), last (last.ckpt) or best (best.ckpt, by validation accuracy)"),
		weights: fs.String("weights", "", "a safetensors file (convnets export, or PyTorch's save_file) instead of a run"),
		arch:    fs.String("arch", "", "with -weights: the architecture (default: the file's metadata)"),
	}
}

// Run is the run directory named, or "".
func (f *ModelFlags) Run() string { return *f.run }

// Weights is the safetensors file named, or "".
func (f *ModelFlags) Weights() string { return *f.weights }

// Open opens the weights named: a run's with its test set (from data when
// not empty), or the file's with the options o (o.Arch from -arch).
func (f *ModelFlags) Open(reg *arch.Registry, data string, o WeightsOptions) (*Model, error) {
	switch {
	case (*f.run == "") == (*f.weights == ""):
		return nil, InputError{fmt.Errorf("give -run DIR or -weights FILE")}
	case *f.run != "" && o.Dataset != "":
		return nil, InputError{fmt.Errorf("-dataset goes with -weights: a run evaluates on its own dataset (-data DIR for another copy of it)")}
	case *f.run != "":
		return OpenRun(reg, *f.run, *f.which, data)
	}
	o.Arch = *f.arch
	return OpenWeights(reg, *f.weights, o)
}

// ArchFlags pick an architecture and its configuration, as summary and
// diagram take them.
type ArchFlags struct {
	name, input *string
	classes     *int
	width       *float64
	aux         *bool
}

// AddArchFlags registers -arch, -input, -classes, -width and -aux on fs.
func AddArchFlags(fs *flag.FlagSet) *ArchFlags {
	return &ArchFlags{
		name:    fs.String("arch", "lenet5", "architecture (see convnets list)"),
		input:   fs.String("input", "", "input CxHxW (default: the architecture's)"),
		classes: fs.Int("classes", 0, "number of classes (default: the architecture's)"),
		width:   fs.Float64("width", 0, "width multiplier of the channel counts (default: the architecture's)"),
		aux:     fs.Bool("aux", false, "include the auxiliary classifiers of the Inception family"),
	}
}

// Build looks the architecture up in reg and builds its graph (no
// weights) for the configuration the flags give.
func (f *ArchFlags) Build(reg *arch.Registry) (arch.Spec, arch.Config, *graph.Net, error) {
	return Build(reg, *f.name, *f.input, *f.classes, *f.width, *f.aux)
}

// AddFormatFlags registers -json, -csv and -md (described by mdHelp) on
// fs; the function it returns gives the format they chose ("text" for
// none), or an InputError for two of them.
func AddFormatFlags(fs *flag.FlagSet, mdHelp string) func() (string, error) {
	on := map[string]*bool{"json": fs.Bool("json", false, "print JSON"), "csv": fs.Bool("csv", false, "print CSV"), "md": fs.Bool("md", false, mdHelp)}
	return func() (string, error) {
		n, format := 0, "text"
		for f, set := range on {
			if *set {
				n, format = n+1, f
			}
		}
		if n > 1 {
			return "", InputError{fmt.Errorf("choose one of -json, -csv and -md")}
		}
		return format, nil
	}
}
