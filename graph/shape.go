package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Flatten reshapes (B, ...) to (B, features).
func (n *Net) Flatten(name string, x *Tensor) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	s := x.Shape()
	y, err := G.Reshape(x.node, tensor.Shape{s[0], int(x.elems())})
	return n.record(n.wrap(name, y, err), KindFlatten, 0, 0, 0, 0)
}

// Concat joins tensors along the channel axis (axis 1), as an Inception
// block joins its branches. All other dimensions must agree.
func (n *Net) Concat(name string, xs ...*Tensor) *Tensor {
	if !n.ok(xs...) || !n.claim(name) {
		return n.fail(nil)
	}
	if len(xs) == 0 {
		return n.fail(errors.Errorf("graph: concat %s: no inputs", name))
	}
	nodes := make([]*G.Node, len(xs))
	shapes := make([][]int, len(xs))
	first := xs[0].Shape()
	for i, x := range xs {
		s := x.Shape()
		if len(s) != len(first) || len(s) < 2 {
			return n.fail(errors.Errorf("graph: concat %s: input %d has shape %v, input 0 %v", name, i, s, first))
		}
		for d := range s {
			if d != 1 && s[d] != first[d] {
				return n.fail(errors.Errorf("graph: concat %s: input %d (%s, from %s) does not match input 0 (%s) outside the channel axis",
					name, i, ShapeString(s[1:]), x.name, ShapeString(first[1:])))
			}
		}
		nodes[i], shapes[i] = x.node, s
	}
	if len(xs) == 1 {
		return n.record(&Tensor{net: n, node: xs[0].node, name: name}, KindConcat, 0, 0, 0, 0)
	}
	y, err := G.ApplyOp(newConcatOp(shapes), nodes...)
	return n.record(n.wrap(name, y, err), KindConcat, 0, 0, 0, 0)
}

// Add adds two tensors of the same shape element-wise (a residual
// connection).
func (n *Net) Add(name string, a, b *Tensor) *Tensor { return n.ScaledAdd(name, a, b, 1) }

// ScaledAdd returns a + scale*b for tensors of the same shape: the scaled
// residual connection of Inception-ResNet. Its other ops count one addition
// per element, and one multiplication more when scale is not 1.
func (n *Net) ScaledAdd(name string, a, b *Tensor, scale float64) *Tensor {
	if !n.ok(a, b) || !n.claim(name) {
		return n.fail(nil)
	}
	if !tensor.Shape(a.Shape()).Eq(tensor.Shape(b.Shape())) {
		return n.fail(errors.Errorf("graph: add %s: shapes %s (from %s) and %s (from %s) differ",
			name, ShapeString(a.Shape()[1:]), a.name, ShapeString(b.Shape()[1:]), b.name))
	}
	bn, ops := b.node, int64(1)
	if scale != 1 {
		var err error
		if bn, err = G.Mul(b.node, n.scalar(scale)); err != nil {
			return n.wrap(name, nil, err)
		}
		ops = 2
	}
	y, err := G.Add(a.node, bn)
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	return n.setScalar(n.record(t, KindAdd, 0, 0, 0, ops*t.elems()), scale)
}

// scalar is a constant of the Net's dtype.
func (n *Net) scalar(v float64) *G.Node {
	if n.dt == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}
