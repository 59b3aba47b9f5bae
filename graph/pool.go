package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MaxPool adds a k x k max pooling with the given stride and padding
// (padding acts as -inf). Output sizes round down, as in PyTorch. It is
// convnets' own op (see poolOp): Gorgonia's panics on NaN.
func (n *Net) MaxPool(name string, x *Tensor, k, stride, pad int) *Tensor {
	return n.pool(name, x, KindMaxPool, K(k), Stride(stride), Pad(pad))
}

// AvgPool adds a k x k average pooling with the given stride and padding;
// padded cells count as zeros in the average (PyTorch's count_include_pad).
//
// Gorgonia's AveragePool2D divides by the wrong count, so this is a
// convolution of each channel alone with a constant 1/(k*k) filter.
func (n *Net) AvgPool(name string, x *Tensor, k, stride, pad int) *Tensor {
	return n.pool(name, x, KindAvgPool, K(k), Stride(stride), Pad(pad))
}

// pool adds a max or average pooling with any window (K), stride and padding.
func (n *Net) pool(name string, x *Tensor, kind Kind, opts ...ConvOpt) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	o := n.convOptions(opts)
	s := x.Shape()
	if len(s) != 4 {
		return n.fail(errors.Errorf("graph: %s %s: input shape %v, want (batch, C, H, W)", kind, name, s))
	}
	if 2*o.ph > o.kh || 2*o.pw > o.kw {
		// A window of padding alone gives -Inf (max) or a mean of zeros;
		// PyTorch refuses it too.
		return n.fail(errors.Errorf("graph: %s %s: padding %dx%d is more than half the %dx%d window", kind, name, o.ph, o.pw, o.kh, o.kw))
	}
	ho, err := outSize(s[2], o.kh, o.sh, o.ph)
	if err != nil {
		return n.fail(errors.Wrapf(err, "graph: %s %s on input %s", kind, name, ShapeString(s[1:])))
	}
	wo, err := outSize(s[3], o.kw, o.sw, o.pw)
	if err != nil {
		return n.fail(errors.Wrapf(err, "graph: %s %s on input %s", kind, name, ShapeString(s[1:])))
	}
	op := newPoolOp(n.team, s, o, ho, wo, kind == KindAvgPool)
	op.noDX = n.skipsInputGrad(x.node)
	y, err := G.ApplyOp(op, x.node)
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	return n.setDetail(n.record(t, kind, 0, 0, 0, int64(o.kh*o.kw)*t.elems()), o.kh, o.kw, o.sh, o.sw, o.ph, o.pw, 1)
}

// GlobalAvgPool averages each channel over its whole map: (B, C, H, W) to
// (B, C, 1, 1). Built as a reshape to (B, C, H*W) and a mean over axis 2,
// since Gorgonia's GlobalAveragePool2D has no gradient.
func (n *Net) GlobalAvgPool(name string, x *Tensor) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	s := x.Shape()
	if len(s) != 4 {
		return n.fail(errors.Errorf("graph: global average pool %s: input shape %v, want (batch, C, H, W)", name, s))
	}
	flat, err := G.Reshape(x.node, tensor.Shape{s[0], s[1], s[2] * s[3]})
	if err != nil {
		return n.wrap(name, nil, err)
	}
	m, err := G.Mean(flat, 2)
	if err != nil {
		return n.wrap(name, nil, err)
	}
	y, err := G.Reshape(m, tensor.Shape{s[0], s[1], 1, 1})
	t := n.wrap(name, y, err)
	return n.record(t, KindGAP, 0, 0, 0, x.elems())
}
