package cli

import (
	"context"
	"flag"

	"github.com/convnets/convnets/cmd/jobs"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	mf := jobs.AddModelFlags(fs)
	width := fs.Float64("width", 0, "with -weights: width multiplier (default: the file's metadata, else the architecture's)")
	batch := fs.Int("batch", 64, "with -weights: images per forward pass")
	data := fs.String("data", "", "folder of the dataset's four IDX files (default: the run's dataset, found as train finds it; its files must have the run's hashes)")
	dataset := fs.String("dataset", "", "with -weights: the dataset to evaluate on (default: the file's metadata, else mnist)")
	asJSON := fs.Bool("json", false, "print a JSON object")
	if err := parse(e, fs, "convnets eval -run runs/lenet5-relu-20261127-120000 -json\n  convnets eval -weights model.safetensors -arch lenet5-relu", args); err != nil {
		return err
	}
	m, err := mf.Open(e.reg, *data, jobs.WeightsOptions{Width: *width, Batch: *batch, Dataset: *dataset, Data: *data})
	if err != nil {
		return err
	}
	defer m.Close()
	ev, err := m.Evaluate(mf.Run(), mf.Weights(), *asJSON)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, ev)
	}
	return ev.Accuracy.Write(e.stdout)
}

type errRequired string

func (e errRequired) Error() string { return "flag " + string(e) + " is required" }
