package graph

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sumOp is the sum of every element of a tensor, the loss of TimeSteps (as
// PyTorch's `y.sum()`). Gorgonia's own sum differentiates into one Repeat
// per axis, element by element, which cost about 15% of a step of a single
// large convolution; sumOp's gradient (grad set) fills x's shape with the
// scalar gradient in one pass, as PyTorch's expanded gradient is free.
type sumOp struct {
	opBase
	shape []int // of x
	grad  bool  // the gradient: input the scalar dy, output x's shape
	out   outBuf
}

func (op *sumOp) Arity() int { return 1 }
func (op *sumOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := &G.TensorType{Dims: len(op.shape), Of: a}
	if op.grad {
		return hm.NewFnType(a, t)
	}
	return hm.NewFnType(t, a)
}
func (op *sumOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	if op.grad {
		return tensor.Shape(op.shape).Clone(), nil
	}
	return tensor.ScalarShape(), nil
}
func (op *sumOp) String() string        { return opName("Sum", op.grad, op.shape) }
func (op *sumOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *sumOp) Hashcode() uint32      { return hashOf(op) }

// Do is the sum (accumulated in float64), or the gradient's fill.
func (op *sumOp) Do(inputs ...G.Value) (_ G.Value, err error) {
	if op.grad {
		return doFill(op, &op.out, op.shape, inputs)
	}
	defer recoverOp(&err, op)
	if len(inputs) != 1 {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	switch x := inputs[0].Data().(type) {
	case []float32:
		var s float64
		for _, v := range x {
			s += float64(v)
		}
		return G.NewF32(float32(s)), nil
	case []float64:
		var s float64
		for _, v := range x {
			s += v
		}
		return G.NewF64(s), nil
	}
	return nil, errors.Errorf("%s: dtype %v", op, inputs[0].Dtype())
}

// UsePreallocDo is the gradient's fill into Gorgonia's tensor.
func (op *sumOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	if !op.grad {
		return op.Do(inputs...)
	}
	return preallocFill(op, prealloc, inputs)
}

// fill sets every element of out to the scalar gradient.
func (op *sumOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return fillWith(op, o, inputs[0].Data())
	case []float64:
		return fillWith(op, o, inputs[0].Data())
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func fillWith[T float32 | float64](op *sumOp, out []T, dy any) error {
	var g T
	switch v := dy.(type) {
	case T:
		g = v
	case []T:
		if len(v) != 1 {
			return errors.Errorf("%s: gradient of %d elements, want 1", op, len(v))
		}
		g = v[0]
	default:
		return errors.Errorf("%s: gradient %T", op, dy)
	}
	for i := range out {
		out[i] = g
	}
	return nil
}

func (op *sumOp) DiffWRT(int) []bool { return []bool{true} }

func (op *sumOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad {
		return nil, errors.Errorf("%s: no second derivative", op)
	}
	dx, err := G.ApplyOp(&sumOp{shape: op.shape, grad: true}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// sumAll is the sum of x's elements as a scalar node.
func sumAll(x *G.Node) (*G.Node, error) {
	return G.ApplyOp(&sumOp{shape: []int(x.Shape().Clone())}, x)
}
