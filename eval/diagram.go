package eval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/convnets/convnets/graph"
)

// foldable are the layer kinds a diagram draws inside the box of the layer
// before them (conv + BN + ReLU is one box).
var foldable = map[graph.Kind]bool{
	graph.KindReLU: true, graph.KindSigmoid: true, graph.KindTanh: true, graph.KindScaledTanh: true,
	graph.KindReLU6: true, graph.KindLeakyReLU: true, graph.KindSiLU: true, graph.KindHardSigmoid: true, graph.KindHardSwish: true,
	graph.KindBatchNorm: true, graph.KindDropout: true, graph.KindScale: true,
}

// box is one node of a diagram: a layer and the element-wise layers folded
// into it.
type box struct {
	id     string
	layers []graph.Layer
	inputs []string // the boxes it reads
}

func (b *box) last() graph.Layer { return b.layers[len(b.layers)-1] }

// WriteDOT writes a block-level Graphviz diagram of the summary's network:
// one box per conv, dense, pool, concat or add layer (with the batch norm,
// activation or dropout after it folded in), boxes clustered by stage and
// by the parts of their names (an Inception block's branches are clusters
// side by side), and each edge labelled with the shape it carries.
func (s *Summary) WriteDOT(w io.Writer) error {
	boxes, order := s.boxes()
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %q {\n", s.Arch)
	fmt.Fprintf(&b, "  label=%q; labelloc=t; fontname=\"Helvetica\"; fontsize=18;\n", fmt.Sprintf("%s  (input %s, %d classes)", s.Arch, graph.ShapeString(s.Input), s.Classes))
	b.WriteString("  rankdir=TB; newrank=true; nodesep=0.25; ranksep=0.35;\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6fb\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n")
	fmt.Fprintf(&b, "  input [label=%q, shape=oval, fillcolor=\"#ffffff\"];\n", "input "+graph.ShapeString(s.Input))

	// Clusters: a tree of name prefixes, under the stage when the stage is
	// not already the first part of the name.
	root := &cluster{children: map[string]*cluster{}}
	for _, id := range order {
		bx := boxes[id]
		first := bx.layers[0]
		parts := strings.Split(first.Name, "/")
		path := parts[:len(parts)-1]
		if st := first.Stage(); st != parts[0] {
			path = append([]string{st}, path...)
		}
		root.add(path, bx.id)
	}
	root.write(&b, "  ", "", boxes)
	for _, id := range order {
		bx := boxes[id]
		for _, in := range bx.inputs {
			shape := graph.ShapeString(s.Input)
			if src, ok := boxes[in]; ok {
				shape = graph.ShapeString(src.last().OutShape)
			}
			fmt.Fprintf(&b, "  %q -> %q [label=%q];\n", in, bx.id, " "+shape)
		}
	}
	if len(order) > 0 {
		out := boxes[order[len(order)-1]]
		fmt.Fprintf(&b, "  \"(logits)\" [label=%q, shape=oval, fillcolor=\"#ffffff\"];\n  %q -> \"(logits)\" [label=%q];\n",
			"logits", out.id, " "+graph.ShapeString(out.last().OutShape))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// boxes folds the ledger's element-wise layers into the box before them
// (when that box's output goes nowhere else) and returns the boxes by id
// in build order.
func (s *Summary) boxes() (map[string]*box, []string) {
	consumers := map[string]int{}
	for _, l := range s.Layers {
		for _, in := range l.Inputs {
			consumers[in]++
		}
	}
	boxOf := map[string]string{"input": "input"} // layer name -> box id
	boxes := map[string]*box{}
	var order []string
	for _, l := range s.Layers {
		if foldable[l.Kind] && len(l.Inputs) == 1 && consumers[l.Inputs[0]] == 1 {
			if id, ok := boxOf[l.Inputs[0]]; ok && id != "input" {
				boxes[id].layers = append(boxes[id].layers, l)
				boxOf[l.Name] = id
				continue
			}
		}
		bx := &box{id: l.Name, layers: []graph.Layer{l}}
		for _, in := range l.Inputs {
			if id, ok := boxOf[in]; ok {
				bx.inputs = append(bx.inputs, id)
			}
		}
		boxes[l.Name], boxOf[l.Name] = bx, l.Name
		order = append(order, l.Name)
	}
	return boxes, order
}

// label is a box's text: the layer's last name part and what it does (the
// shapes are on the edges).
func (b *box) label() string {
	first := b.layers[0]
	parts := strings.Split(first.Name, "/")
	what := string(first.Kind)
	if first.Detail != "" {
		what += " " + first.Detail
	}
	if first.Kind == graph.KindDense {
		what = fmt.Sprintf("%s %d", what, first.OutShape[0])
	}
	var folded []string
	for _, l := range b.layers[1:] {
		k := string(l.Kind)
		if l.Kind == graph.KindBatchNorm {
			k = "BN"
		}
		folded = append(folded, k)
	}
	if len(folded) > 0 {
		what += " + " + strings.Join(folded, " + ")
	}
	if what == parts[len(parts)-1] {
		return what
	}
	return parts[len(parts)-1] + "\n" + what
}

// cluster is a group of boxes sharing a name prefix.
type cluster struct {
	boxes    []string
	children map[string]*cluster
	order    []string
}

func (c *cluster) add(path []string, id string) {
	if len(path) == 0 {
		c.boxes = append(c.boxes, id)
		return
	}
	ch, ok := c.children[path[0]]
	if !ok {
		ch = &cluster{children: map[string]*cluster{}}
		c.children[path[0]] = ch
		c.order = append(c.order, path[0])
	}
	ch.add(path[1:], id)
}

func (c *cluster) write(b *strings.Builder, indent, prefix string, boxes map[string]*box) {
	for _, id := range c.boxes {
		fmt.Fprintf(b, "%s%q [label=%q];\n", indent, id, boxes[id].label())
	}
	for _, name := range c.order { // build order
		full := prefix + name
		fmt.Fprintf(b, "%ssubgraph %q {\n%s  label=%q; style=\"rounded,dashed\"; color=\"#8899bb\"; fontname=\"Helvetica\"; fontsize=11;\n",
			indent, "cluster_"+full, indent, name)
		c.children[name].write(b, indent+"  ", full+"/", boxes)
		fmt.Fprintf(b, "%s}\n", indent)
	}
}

// RenderDOT runs Graphviz's dot to turn a diagram's source into format
// ("svg" or "png").
func RenderDOT(ctx context.Context, src []byte, format string) ([]byte, error) {
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
