package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The layers below are those of LeCun et al. 1998 that later networks
// dropped: channel selection (C3's partial connections), the trainable
// subsampling coefficient, the scaled tanh and the RBF output units.

// Select keeps the given channels of a (B, C, H, W) tensor, in the given
// order: the input maps that one of LeNet-5's C3 maps is connected to.
func (n *Net) Select(name string, x *Tensor, channels []int) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	s := x.Shape()
	if len(s) != 4 || len(channels) == 0 {
		return n.fail(errors.Errorf("graph: select %s: input shape %v and %d channels, want (batch, C, H, W) and at least one", name, s, len(channels)))
	}
	parts := make([]*G.Node, len(channels))
	for i, c := range channels {
		if c < 0 || c >= s[1] {
			return n.fail(errors.Errorf("graph: select %s: channel %d of an input with %d", name, c, s[1]))
		}
		p, err := G.Slice(x.node, nil, G.S(c, c+1))
		if err != nil {
			return n.wrap(name, nil, err)
		}
		// Slicing one channel drops the axis: put it back.
		if parts[i], err = G.Reshape(p, tensor.Shape{s[0], 1, s[2], s[3]}); err != nil {
			return n.wrap(name, nil, err)
		}
	}
	y := parts[0]
	var err error
	if len(parts) > 1 {
		y, err = G.Concat(1, parts...)
	}
	return n.record(n.wrap(name, y, err), KindSelect, 0, 0, 0, 0)
}

// Scale multiplies each channel by its own trainable coefficient and adds
// its own bias: LeNet-5's subsampling layers S2 and S4 (after an average
// pooling) have 2 parameters per map.
func (n *Net) Scale(name string, x *Tensor) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	s := x.Shape()
	if len(s) != 4 {
		return n.fail(errors.Errorf("graph: scale %s: input shape %v, want (batch, C, H, W)", name, s))
	}
	c := s[1]
	w := n.param(name, "weight", []int{1, c, 1, 1}, Ones, 1, 1)
	b := n.param(name, "bias", []int{1, c, 1, 1}, Zeros, 1, 1)
	y, err := G.BroadcastHadamardProd(x.node, w, nil, []byte{0, 2, 3})
	if err == nil {
		y, err = G.BroadcastAdd(y, b, nil, []byte{0, 2, 3})
	}
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	return n.record(t, KindScale, int64(2*c), 0, 0, 2*t.elems())
}

// ScaledTanh applies LeCun's 1.7159 * tanh(2x/3), recorded as
// "<layer>/tanh".
func (t *Tensor) ScaledTanh() *Tensor {
	n := t.net
	return t.unary("tanh", KindScaledTanh, func(x *G.Node) (*G.Node, error) {
		y, err := G.Mul(x, n.scalar(2.0/3))
		if err == nil {
			y, err = G.Tanh(y)
		}
		if err == nil {
			y, err = G.Mul(y, n.scalar(1.7159))
		}
		return y, err
	})
}

// RBF is LeNet-5's output layer: one Euclidean radial basis unit per
// class, y_i = sum_j (x_j - w_ij)^2, with fixed prototypes w_i
// (prototypes[i] has one value per input). It returns -y, so that the
// nearest prototype has the largest logit. The prototypes are
// non-trainable state. Gorgonia's backward pass for x*x may write into x's
// memory: harmless for a computed activation (recomputed each step), but
// an RBF fed straight from the network's input through Flatten (which
// shares memory) would see its input changed; LeNet-5 feeds it from F6.
func (n *Net) RBF(name string, x *Tensor, prototypes [][]float64) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	s := x.Shape()
	if len(s) != 2 || len(prototypes) == 0 {
		return n.fail(errors.Errorf("graph: rbf %s: input shape %v, want (batch, features), and prototypes", name, s))
	}
	in, out := s[1], len(prototypes)
	w := make([]float64, in*out) // (in, out), column i is prototype i
	norms := make([]float64, out)
	for i, p := range prototypes {
		if len(p) != in {
			return n.fail(errors.Errorf("graph: rbf %s: prototype %d has %d values for %d inputs", name, i, len(p), in))
		}
		for j, v := range p {
			w[j*out+i] = v
			norms[i] += v * v
		}
	}
	wn := n.constant(name+"/prototypes", []int{in, out}, w)
	nn := n.constant(name+"/norms", []int{1, out}, norms)
	sq, err := G.HadamardProd(x.node, x.node)
	var xx, xw, d *G.Node
	if err == nil {
		if xx, err = G.Sum(sq, 1); err == nil {
			xx, err = G.Reshape(xx, tensor.Shape{s[0], 1})
		}
	}
	if err == nil {
		xw, err = G.Mul(x.node, wn)
	}
	if err == nil {
		xw, err = G.Mul(xw, n.scalar(2)) // -(xx - 2xw + ww) = 2xw - xx - ww
	}
	if err == nil {
		d, err = G.BroadcastSub(xw, xx, nil, []byte{1})
	}
	if err == nil {
		d, err = G.BroadcastSub(d, nn, nil, []byte{0})
	}
	t := n.wrap(name, d, err)
	if t.node == nil {
		return t
	}
	n.fixed = append(n.fixed, fixedTensor{name + "/prototypes", wn})
	return n.record(t, KindRBF, 0, int64(in*out), 0, int64(3*in*out))
}

// fixedTensor is non-trainable state that is not batch-norm statistics.
type fixedTensor struct {
	name string
	node *G.Node
}

// constant is a fixed tensor of the Net's dtype.
func (n *Net) constant(name string, shape []int, vals []float64) *G.Node {
	var backing any = vals
	if n.dt == tensor.Float32 {
		f := make([]float32, len(vals))
		for i, v := range vals {
			f[i] = float32(v)
		}
		backing = f
	}
	return G.NewTensor(n.g, n.dt, len(shape), G.WithShape(shape...), G.WithName(name),
		G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(backing))))
}
