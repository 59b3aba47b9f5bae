package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

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
	t := n.record(n.wrap(name, y, err), KindSelect, 0, 0, 0, 0)
	if t.node != nil && len(n.ledger) > 0 {
		n.ledger[len(n.ledger)-1].Indices = append([]int(nil), channels...)
	}
	return t
}
