package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/train"
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
		if data, err = renderDOT(ctx, data, ext[1:]); err != nil {
			return err
		}
	}
	if err := train.WriteFileAtomic(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", *out)
	return nil
}

// renderDOT runs Graphviz's dot to turn a diagram into format.
func renderDOT(ctx context.Context, src []byte, format string) ([]byte, error) {
	path, err := exec.LookPath("dot")
	if err != nil {
		return nil, fmt.Errorf("rendering %s needs Graphviz's dot, which is not installed (Debian: apt-get install graphviz); -o FILE.dot writes the diagram without it", strings.ToUpper(format))
	}
	cmd := exec.CommandContext(ctx, path, "-T"+format)
	cmd.Stdin = bytes.NewReader(src)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("dot -T%s: %s", format, strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("dot -T%s: %w", format, err)
	}
	return stdout.Bytes(), nil
}
