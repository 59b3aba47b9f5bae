package graph

import (
	"math/rand/v2"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

type dropout struct {
	name string
	p    float64
	mask *G.Node
	val  tensor.Tensor
}

// Dropout zeroes each element with probability p in training mode and scales
// the survivors by 1/(1-p) (inverted dropout, as PyTorch); in evaluation mode
// it passes x through. The mask is an input of the graph drawn from the
// training loop's seeded generator each step (Gorgonia's own Dropout seeds
// itself from the clock and has a wrong gradient for p != 0.5).
func (n *Net) Dropout(name string, x *Tensor, p float64) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	if !(p >= 0 && p < 1) {
		return n.fail(errors.Errorf("graph: dropout %s: probability %v, want 0 <= p < 1", name, p))
	}
	s := x.Shape()
	mask := G.NewTensor(n.g, n.dt, len(s), G.WithShape(s...), G.WithName(name+"/mask"))
	y, err := G.HadamardProd(x.node, mask)
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	n.drops = append(n.drops, &dropout{name: name, p: p, mask: mask})
	return n.record(t, KindDropout, 0, 0, 0, t.elems())
}

// setMasks fills every dropout mask: from rng in training mode, with ones
// otherwise (rng may then be nil).
func (n *Net) setMasks(training bool, rng *rand.Rand) error {
	for _, d := range n.drops {
		if d.val == nil {
			d.val = tensor.New(tensor.Of(n.dt), tensor.WithShape(d.mask.Shape()...))
			if err := G.Let(d.mask, d.val); err != nil {
				return errors.Wrapf(err, "graph: dropout %s", d.name)
			}
		}
		keep := 1 / (1 - d.p)
		switch data := d.val.Data().(type) {
		case []float32:
			for i := range data {
				data[i] = 1
				if training && rng.Float64() < d.p {
					data[i] = 0
				} else if training {
					data[i] = float32(keep)
				}
			}
		case []float64:
			for i := range data {
				data[i] = 1
				if training && rng.Float64() < d.p {
					data[i] = 0
				} else if training {
					data[i] = keep
				}
			}
		}
	}
	return nil
}
