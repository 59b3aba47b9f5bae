package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
)

// Dense adds a fully connected layer with out outputs: weight (in, out) and
// bias (1, out). Its input must be 2-D (batch, in): Flatten first.
func (n *Net) Dense(name string, x *Tensor, out int, opts ...ConvOpt) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	o := n.convOptions(opts)
	s := x.Shape()
	if len(s) != 2 {
		return n.fail(errors.Errorf("graph: dense %s: input shape %v, want (batch, features): flatten first", name, s))
	}
	if out <= 0 {
		return n.fail(errors.Errorf("graph: dense %s: %d outputs", name, out))
	}
	if o.kh != 1 || o.kw != 1 || o.sh != 1 || o.sw != 1 || o.ph != 0 || o.pw != 0 || o.dh != 1 || o.dw != 1 || o.groups != 1 {
		return n.fail(errors.Errorf("graph: dense %s: of the conv options a dense layer takes NoBias and WithInit only", name))
	}
	in := s[1]
	w := n.param(name, "weight", []int{in, out}, o.init, in, out)
	y, err := G.Mul(x.node, w)
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	params, other := int64(in*out), int64(0)
	if !o.noBias {
		b := n.param(name, "bias", []int{1, out}, Zeros, in, out)
		y, err = G.BroadcastAdd(t.node, b, nil, []byte{0})
		t = n.wrap(name, y, err)
		params += int64(out)
		other = int64(out)
	}
	return n.record(t, KindDense, params, 0, int64(in*out), other)
}
