package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/train/weights"
)

func runDiagram(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("diagram", flag.ContinueOnError)
	af := addArchFlags(fs)
	out := fs.String("o", "", "output FILE.dot (Graphviz source), or FILE.svg / FILE.png rendered with Graphviz's dot (required)")
	if err := parse(e, fs, "convnets diagram -arch googlenet -o googlenet.dot\n  convnets diagram -arch inception-bn -o inception-bn.svg", args); err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(*out))
	switch {
	case *out == "":
		return usageError{errRequired("-o")}
	case ext != ".dot" && ext != ".svg" && ext != ".png":
		return usageError{fmt.Errorf("-o %q: want a name ending in .dot, .svg or .png", *out)}
	}
	spec, _, net, err := af.build(e)
	if err != nil {
		return err
	}
	var dot bytes.Buffer
	if err := eval.Summarize(spec.Name, net).WriteDOT(&dot); err != nil {
		return err
	}
	data := dot.Bytes()
	if ext != ".dot" {
		if data, err = eval.RenderDOT(ctx, data, ext[1:]); err != nil {
			return err
		}
	}
	if err := weights.WriteFileAtomic(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", *out)
	return nil
}
