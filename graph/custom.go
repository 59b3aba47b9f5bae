package graph

import (
	"strings"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
)

// KindCustom is a layer made by Custom from a Gorgonia expression; its
// costs are the ones its author gives.
const KindCustom Kind = "custom"

// Cost is what a custom layer costs per image: multiply-accumulates of
// the convolution or dense kind (counted in MACs) and every other
// arithmetic operation (counted apart, as pooling and activations are).
type Cost struct {
	MACs, Other int64
}

// Param creates a trainable parameter "layer/part" of the given shape for a
// custom layer to use, drawn by init (fanIn and fanOut as a dense layer of
// shape (in, out) or a conv weight (out, in, kh, kw) would give them) when
// the Net is initialised. Create a layer's parameters before calling
// Custom with its name: Custom counts them as the layer's.
func (n *Net) Param(layer, part string, shape []int, init Init) *G.Node {
	if n.err != nil {
		return nil
	}
	if len(shape) == 0 || prod(shape) <= 0 {
		n.fail(errors.Errorf("graph: parameter %s/%s: shape %v", layer, part, shape))
		return nil
	}
	fanIn, fanOut := shape[0], shape[len(shape)-1]
	if len(shape) == 4 { // (out, in, kh, kw)
		fanIn, fanOut = shape[1]*shape[2]*shape[3], shape[0]*shape[2]*shape[3]
	}
	if n.byName[layer] {
		n.fail(errors.Errorf("graph: parameter %s/%s: layer %q exists already; create a custom layer's parameters before the layer", layer, part, layer))
		return nil
	}
	if err := checkName(layer); err != nil {
		n.fail(errors.Wrapf(err, "graph: parameter %s/%s", layer, part))
		return nil
	}
	if part == "" || strings.IndexFunc(part, func(r rune) bool { return r == '/' || !validNameRune(r) }) >= 0 {
		n.fail(errors.Errorf("graph: parameter %s/%s: want a part of letters, digits, '_' and '-'", layer, part))
		return nil
	}
	node := n.param(layer, part, shape, init, fanIn, fanOut)
	if n.err != nil {
		return nil
	}
	n.params[len(n.params)-1].custom = layer
	return node
}

// Custom adds a layer computed by f from its inputs' Gorgonia nodes: any
// differentiable Gorgonia expression, with parameters made by Param under
// the same name. The ledger, summaries and diagrams record it as kind
// "custom" with the cost given, its parameters counted from Param's; the
// gradient checker (CheckGradients) checks it as it checks convnets' own.
func (n *Net) Custom(name string, cost Cost, f func(inputs ...*G.Node) (*G.Node, error), inputs ...*Tensor) *Tensor {
	if len(inputs) == 0 {
		return n.fail(errors.Errorf("graph: custom layer %s: no inputs", name))
	}
	if !n.ok(inputs...) || !n.claim(name) {
		return n.fail(nil)
	}
	if cost.MACs < 0 || cost.Other < 0 {
		return n.fail(errors.Errorf("graph: custom layer %s: cost %+v must not be negative", name, cost))
	}
	nodes := make([]*G.Node, len(inputs))
	for i, in := range inputs {
		nodes[i] = in.node
	}
	y, err := f(nodes...)
	if err == nil && y == nil {
		err = errors.New("the function returned no node")
	}
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	var params int64
	for _, p := range n.params {
		if p.custom == name {
			params += p.Size()
		}
	}
	return n.record(t, KindCustom, params, 0, cost.MACs, cost.Other)
}
