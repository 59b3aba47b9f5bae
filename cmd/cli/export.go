package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/convnets/convnets/cmd/jobs"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	runDir := fs.String("run", "", "run directory written by convnets train (required)")
	out := fs.String("o", "", "output file: FILE.safetensors (weights for PyTorch) or FILE.onnx (the network for ONNX Runtime) (required)")
	which := fs.String("checkpoint", "final", "which weights: final, last or best")
	if err := parse(e, fs, "convnets export -run runs/lenet -o lenet.safetensors", args); err != nil {
		return err
	}
	if *runDir == "" {
		return usageError{errRequired("-run")}
	}
	x, err := jobs.Export(e.reg, *runDir, *which, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d tensors, %d values, architecture %s\n", *out, x.Tensors, x.Values, x.Arch)
	return nil
}
