package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Batch-norm constants, as PyTorch's defaults: running = (1-m)*running + m*batch.
const (
	bnMomentum = 0.1
	bnEpsilon  = 1e-5
)

type batchNorm struct {
	name string
	op   *bnOp
}

// BatchNorm normalises each channel of a (B, C, H, W) input, or each feature
// of a (B, N) input, over the batch in training mode and with the running
// statistics in evaluation mode, then scales and shifts it by the trainable
// weight and bias. The running mean and variance (unbiased, momentum 0.1,
// epsilon 1e-5) are non-trainable state: see State.
func (n *Net) BatchNorm(name string, x *Tensor) *Tensor {
	return n.batchNorm(name, x, bnNone)
}

// BatchNormReLU is n.BatchNorm(name, x).ReLU(), the same layers in the
// ledger ("name" and "name/relu") and the same numbers bit for bit, as one
// op: the ReLU is taken as batch norm writes its output, and its gradient
// as batch norm's gradient reads dy, which saves the two passes over the
// tensor that a ReLU of its own makes (the conv, batch norm, ReLU unit of
// Inception v2-v4, ResNet and VGG with batch norm). The tensor before the
// ReLU is not kept: use BatchNorm and ReLU where something else reads it.
func (n *Net) BatchNormReLU(name string, x *Tensor) *Tensor {
	return n.batchNormAct(name, x, bnReLU)
}

// BatchNormReLU6 is n.BatchNorm(name, x).ReLU6() as one op, as
// BatchNormReLU is for ReLU (MobileNetV2's unit).
func (n *Net) BatchNormReLU6(name string, x *Tensor) *Tensor {
	return n.batchNormAct(name, x, bnReLU6)
}

// batchNormAct is batch norm with the activation act fused in, recorded as
// the two layers the separate calls record.
func (n *Net) batchNormAct(name string, x *Tensor, act bnAct) *Tensor {
	t := n.batchNorm(name, x, act)
	layer := name + "/" + act.suffix()
	if !n.ok(t) || !n.claim(layer) {
		return n.fail(nil)
	}
	out := n.wrap(layer, t.node, nil)
	return n.record(out, act.kind(), 0, 0, 0, out.elems())
}

func (n *Net) batchNorm(name string, x *Tensor, act bnAct) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	s := x.Shape()
	var pshape []int
	switch len(s) {
	case 4:
		pshape = []int{1, s[1], 1, 1}
	case 2:
		pshape = []int{1, s[1]}
	default:
		return n.fail(errors.Errorf("graph: batch norm %s: input shape %v, want 2-D or 4-D", name, s))
	}
	c := s[1]
	scale := n.param(name, "weight", pshape, Ones, c, c)
	bias := n.param(name, "bias", pshape, Zeros, c, c)
	op := &bnOp{bnState: newBNState(append([]int(nil), s...), n.dt, n.team)}
	op.act = act
	y, err := G.ApplyOp(op, x.node, scale, bias)
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	n.bns = append(n.bns, &batchNorm{name: name, op: op})
	return n.record(t, KindBatchNorm, int64(2*c), int64(2*c), 0, 2*t.elems())
}

// NamedTensor is a tensor of the Net's state with its name.
type NamedTensor struct {
	Name   string
	Tensor tensor.Tensor
}

// State returns every tensor that defines the Net's function, in a fixed
// order: the parameters in creation order, then each batch norm's running
// mean and variance ("<layer>/running_mean", "<layer>/running_var"), then
// other fixed tensors (RBF prototypes). The
// tensors are the live ones: writing into them changes the Net. Init first.
func (n *Net) State() ([]NamedTensor, error) {
	if !n.initted {
		return nil, errors.New("graph: state of a Net that was not initialised")
	}
	out := make([]NamedTensor, 0, len(n.params)+2*len(n.bns))
	for _, p := range n.params {
		t, ok := p.Node.Value().(tensor.Tensor)
		if !ok {
			return nil, errors.Errorf("graph: parameter %s has no tensor value", p.Name)
		}
		out = append(out, NamedTensor{p.Name, t})
	}
	for _, b := range n.bns {
		mean, variance := b.op.Stats()
		out = append(out, NamedTensor{b.name + "/running_mean", mean}, NamedTensor{b.name + "/running_var", variance})
	}
	for _, f := range n.fixed {
		out = append(out, NamedTensor{f.name, f.node.Value().(tensor.Tensor)})
	}
	return out, nil
}
