package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

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
