package graph

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/convnets/convnets/internal/bnrows"
	"github.com/convnets/convnets/internal/vec"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// reluOp is max(0, x) over any shape, split across cores for large
// tensors; NaN passes through (as in PyTorch), so a diverging run is seen.
// Its gradient (reluGradOp) passes dy where the output is positive.
type reluOp struct {
	opBase
	shape []int
	grad  bool // the gradient: inputs (y, dy)
	out   outBuf
	team  *team
}

func (op *reluOp) Arity() int {
	if op.grad {
		return 2
	}
	return 1
}
func (op *reluOp) Type() hm.Type {
	t := &G.TensorType{Dims: len(op.shape), Of: hm.TypeVariable('a')}
	if op.grad {
		return hm.NewFnType(t, t, t)
	}
	return hm.NewFnType(t, t)
}
func (op *reluOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape).Clone(), nil
}
func (op *reluOp) String() string        { return opName("ReLU", op.grad, op.shape) }
func (op *reluOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *reluOp) Hashcode() uint32      { return hashOf(op) }

func (op *reluOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.shape, inputs)
}

func (op *reluOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *reluOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return reluRun(op, o, inputs)
	case []float64:
		return reluRun(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func reluRun[T float32 | float64](op *reluOp, out []T, inputs []G.Value) error {
	x, ok := inputs[0].Data().([]T)
	if !ok {
		return errors.Errorf("%s: input dtype %v", op, inputs[0].Dtype())
	}
	if !op.grad {
		op.team.parallelFor(len(out), 1<<15, func(lo, hi int) {
			vec.ReLU(out[lo:hi], x[lo:hi]) // branch-free; NaN stays NaN
		})
		return nil
	}
	dy, ok := inputs[1].Data().([]T)
	if !ok {
		return errors.Errorf("%s: gradient dtype %v", op, inputs[1].Dtype())
	}
	op.team.parallelFor(len(out), 1<<15, func(lo, hi int) {
		// x is the forward output here. Branch-free (signs are random, so
		// a branch mispredicts half the time): dy unless y <= 0; a NaN y
		// passes it.
		vec.ReLUGrad(out[lo:hi], dy[lo:hi], x[lo:hi])
	})
	return nil
}

// reluPass is ReLU's gradient of one element from its output y: dy unless
// y <= 0 (a NaN y passes it), selected without a branch. Batch norm with a
// fused ReLU applies it too.
func reluPass[T float32 | float64](dy, y T) T { return bnrows.ReLUPass(dy, y) }

func (op *reluOp) DiffWRT(int) []bool { return []bool{true} }

func (op *reluOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad {
		return nil, errors.Errorf("%s: no second derivative", op)
	}
	dx, err := G.ApplyOp(&reluOp{shape: op.shape, grad: true, team: op.team}, output, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// relu applies reluOp to x, with the team of x's Net.
func (n *Net) relu(x *G.Node) (*G.Node, error) {
	return G.ApplyOp(&reluOp{shape: []int(x.Shape().Clone()), team: n.team}, x)
}
