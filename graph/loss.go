package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
)

// SetOutput declares logits (B, Classes) the network's output and builds the
// loss: the mean over the batch of the cross-entropy between the one-hot
// labels and LogSoftmax(logits). Call it once, last.
func (n *Net) SetOutput(logits *Tensor) error {
	if !n.ok(logits) {
		return n.err
	}
	if n.loss != nil {
		return errors.New("graph: SetOutput called twice")
	}
	s := logits.Shape()
	if len(s) != 2 || s[1] != n.cfg.Classes {
		n.fail(errors.Errorf("graph: output %s has shape %v, want (batch, %d classes)", logits.name, s, n.cfg.Classes))
		return n.err
	}
	n.labels = G.NewMatrix(n.g, n.dt, G.WithShape(s...), G.WithName("labels"))
	logp, err := G.LogSoftMax(logits.node)
	if err == nil {
		var prod *G.Node
		if prod, err = G.HadamardProd(n.labels, logp); err == nil {
			var sum *G.Node
			if sum, err = G.Sum(prod, 1); err == nil {
				var mean *G.Node
				if mean, err = G.Mean(sum); err == nil {
					n.loss, err = G.Neg(mean)
				}
			}
		}
	}
	if err != nil {
		n.fail(errors.Wrap(err, "graph: loss"))
		return n.err
	}
	n.logits = logits
	return nil
}
