package jobs

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train/weights"
)

// WriteDiagram writes the block-level diagram of net (built by the
// architecture name) to out: Graphviz source for a .dot file, or an
// .svg or .png rendered with Graphviz's dot.
func WriteDiagram(ctx context.Context, name string, net *graph.Net, out string) error {
	if err := CheckDiagramName(out); err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(out))
	var dot bytes.Buffer
	if err := eval.Summarize(name, net).WriteDOT(&dot); err != nil {
		return err
	}
	data := dot.Bytes()
	if ext != ".dot" {
		var err error
		if data, err = eval.RenderDOT(ctx, data, ext[1:]); err != nil {
			return err
		}
	}
	return weights.WriteFileAtomic(out, data)
}

// CheckDiagramName refuses an output name that ends in none of .dot, .svg
// and .png, before any work is done.
func CheckDiagramName(out string) error {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".dot", ".svg", ".png":
		return nil
	}
	return InputError{fmt.Errorf("-o %q: want a name ending in .dot, .svg or .png", out)}
}
