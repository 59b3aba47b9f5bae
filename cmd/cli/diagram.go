package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/convnets/convnets/cmd/jobs"
)

func runDiagram(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("diagram", flag.ContinueOnError)
	af := jobs.AddArchFlags(fs)
	out := fs.String("o", "", "output FILE.dot (Graphviz source), or FILE.svg / FILE.png rendered with Graphviz's dot (required)")
	if err := parse(e, fs, "convnets diagram -arch googlenet -o googlenet.dot\n  convnets diagram -arch inception-bn -o inception-bn.svg", args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{errRequired("-o")}
	}
	if err := jobs.CheckDiagramName(*out); err != nil {
		return err
	}
	spec, _, net, err := af.Build(e.reg)
	if err != nil {
		return err
	}
	if err := jobs.WriteDiagram(ctx, spec.Name, net, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", *out)
	return nil
}
