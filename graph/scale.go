package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
)

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
