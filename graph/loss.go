package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
)

// AuxOutput adds an auxiliary classifier's logits (B, Classes), such as
// GoogLeNet's side heads: its cross-entropy, times weight, is added to the
// training loss by SetOutput. Evaluation uses the main output only. Call it
// before SetOutput.
func (n *Net) AuxOutput(logits *Tensor, weight float64) {
	if !n.ok(logits) {
		return
	}
	if s := logits.Shape(); len(s) != 2 || s[1] != n.cfg.Classes {
		n.fail(errors.Errorf("graph: auxiliary output %s has shape %v, want (batch, %d classes)", logits.name, s, n.cfg.Classes))
		return
	}
	n.aux = append(n.aux, auxOutput{logits, weight})
}

type auxOutput struct {
	logits *Tensor
	weight float64
}

// SetOutput declares logits (B, Classes) the network's output and builds the
// loss: the mean over the batch of the cross-entropy between the one-hot
// labels and LogSoftmax(logits), plus the weighted cross-entropy of each
// auxiliary output. Call it once, last.
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
	loss, err := n.crossEntropy(logits.node)
	for _, a := range n.aux {
		if err != nil {
			break
		}
		var l *G.Node
		if l, err = n.crossEntropy(a.logits.node); err != nil {
			break
		}
		if l, err = G.Mul(l, n.scalar(a.weight)); err == nil {
			loss, err = G.Add(loss, l)
		}
	}
	if err != nil {
		n.fail(errors.Wrap(err, "graph: loss"))
		return n.err
	}
	n.loss, n.logits = loss, logits
	return nil
}

// crossEntropy is -mean over the batch of sum(labels * LogSoftmax(z)).
func (n *Net) crossEntropy(z *G.Node) (*G.Node, error) {
	logp, err := logSoftmax(z)
	if err != nil {
		return nil, err
	}
	prod, err := G.HadamardProd(n.labels, logp)
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(prod, 1)
	if err != nil {
		return nil, err
	}
	mean, err := G.Mean(sum)
	if err != nil {
		return nil, err
	}
	return G.Neg(mean)
}
