package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Mul returns the element-wise product a*b. b has a's shape, or is one
// value per channel to scale a (B, C, H, W) by: (B, C, 1, 1) or (B, C), as
// a squeeze-and-excitation block's gate. Its other ops count one
// multiplication per output element.
func (n *Net) Mul(name string, a, b *Tensor) *Tensor {
	if !n.ok(a, b) || !n.claim(name) {
		return n.fail(nil)
	}
	as, bs := a.Shape(), b.Shape()
	var y *G.Node
	var err error
	switch {
	case tensor.Shape(as).Eq(tensor.Shape(bs)):
		y, err = G.HadamardProd(a.node, b.node)
	case len(as) == 4 && as[0] == bs[0] && as[1] == bs[1] && (len(bs) == 2 || len(bs) == 4 && bs[2] == 1 && bs[3] == 1):
		gate := b.node
		if len(bs) == 2 {
			if gate, err = G.Reshape(gate, tensor.Shape{bs[0], bs[1], 1, 1}); err != nil {
				return n.wrap(name, nil, err)
			}
		}
		y, err = G.BroadcastHadamardProd(a.node, gate, nil, []byte{2, 3})
	default:
		return n.fail(errors.Errorf("graph: mul %s: shapes %s (from %s) and %s (from %s): want the same shape, or one value per channel",
			name, ShapeString(as[1:]), a.name, ShapeString(bs[1:]), b.name))
	}
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	return n.record(t, KindMul, 0, 0, 0, t.elems())
}

// Sub returns a - b for tensors of the same shape; its other ops count one
// subtraction per element.
func (n *Net) Sub(name string, a, b *Tensor) *Tensor {
	if !n.ok(a, b) || !n.claim(name) {
		return n.fail(nil)
	}
	if !tensor.Shape(a.Shape()).Eq(tensor.Shape(b.Shape())) {
		return n.fail(errors.Errorf("graph: sub %s: shapes %s (from %s) and %s (from %s) differ",
			name, ShapeString(a.Shape()[1:]), a.name, ShapeString(b.Shape()[1:]), b.name))
	}
	y, err := G.Sub(a.node, b.node)
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	return n.record(t, KindSub, 0, 0, 0, t.elems())
}
