package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/convnets/convnets/cmd/jobs"
)

// modelFlags name trained weights for eval, predict and serve: a run
// directory (and which of its checkpoints) or a safetensors file (and its
// architecture).
type modelFlags struct{ run, which, weights, arch *string }

func addModelFlags(fs *flag.FlagSet) *modelFlags {
	return &modelFlags{
		run:     fs.String("run", "", "run directory written by convnets train"),
		which:   fs.String("checkpoint", "final", "which weights of -run: final (weights.ckpt), last (last.ckpt) or best (best.ckpt, by validation accuracy)"),
		weights: fs.String("weights", "", "a safetensors file (convnets export, or PyTorch's save_file) instead of a run"),
		arch:    fs.String("arch", "", "with -weights: the architecture (default: the file's metadata)"),
	}
}

// open opens the weights named: a run's with its test set (from data when
// not empty), or the file's with the options o.
func (f *modelFlags) open(e *env, data string, o jobs.WeightsOptions) (*jobs.Model, error) {
	switch {
	case (*f.run == "") == (*f.weights == ""):
		return nil, usageError{fmt.Errorf("give -run DIR or -weights FILE")}
	case *f.run != "" && o.Dataset != "":
		return nil, usageError{fmt.Errorf("-dataset goes with -weights: a run evaluates on its own dataset (-data DIR for another copy of it)")}
	case *f.run != "":
		return jobs.OpenRun(e.reg, *f.run, *f.which, data)
	}
	o.Arch = *f.arch
	return jobs.OpenWeights(e.reg, *f.weights, o)
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
