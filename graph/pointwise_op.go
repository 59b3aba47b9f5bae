package graph

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/convnets/convnets/internal/bnrows"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// pointwise is an element-wise function with its derivative, both of the
// input x.
type pointwise struct {
	name string // with its parameters, as the op prints it
	f    func(x float64) float64
	df   func(x float64) float64
}

// pointwiseOp applies a pointwise function to a tensor of any shape, split
// across the team's cores; its gradient (grad: inputs x, dy) is
// dy * f'(x). The arithmetic is float64 for either dtype, so float32
// and float64 nets compute the same function.
type pointwiseOp struct {
	opBase
	fn    pointwise
	shape []int
	grad  bool
	out   outBuf
	team  *team
}

func (op *pointwiseOp) Arity() int {
	if op.grad {
		return 2
	}
	return 1
}
func (op *pointwiseOp) Type() hm.Type {
	t := &G.TensorType{Dims: len(op.shape), Of: hm.TypeVariable('a')}
	if op.grad {
		return hm.NewFnType(t, t, t)
	}
	return hm.NewFnType(t, t)
}
func (op *pointwiseOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape).Clone(), nil
}
func (op *pointwiseOp) String() string        { return opName(op.fn.name, op.grad, op.shape) }
func (op *pointwiseOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *pointwiseOp) Hashcode() uint32      { return hashOf(op) }

func (op *pointwiseOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.shape, inputs)
}

func (op *pointwiseOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *pointwiseOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return pointwiseRun(op, o, inputs)
	case []float64:
		return pointwiseRun(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func pointwiseRun[T float32 | float64](op *pointwiseOp, out []T, inputs []G.Value) error {
	x, ok := inputs[0].Data().([]T)
	if !ok || len(x) != len(out) {
		return errors.Errorf("%s: input %v of dtype %v", op, inputs[0].Shape(), inputs[0].Dtype())
	}
	var dy []T
	if op.grad {
		if dy, ok = inputs[1].Data().([]T); !ok || len(dy) != len(out) {
			return errors.Errorf("%s: gradient %v of dtype %v", op, inputs[1].Shape(), inputs[1].Dtype())
		}
	}
	op.team.parallelFor(len(out), 1<<14, func(lo, hi int) {
		switch {
		case op.fn.name == relu6Fn.name && !op.grad:
			relu6(x[lo:hi], out[lo:hi])
		case op.fn.name == relu6Fn.name:
			relu6Grad(x[lo:hi], dy[lo:hi], out[lo:hi])
		case !op.grad:
			for i, v := range x[lo:hi] {
				out[lo+i] = T(op.fn.f(float64(v)))
			}
		default:
			for i, v := range x[lo:hi] {
				out[lo+i] = T(float64(dy[lo+i]) * op.fn.df(float64(v)))
			}
		}
	})
	return nil
}

// relu6 is relu6Fn.f on a slice, in the dtype itself: clamping rounds
// nothing, so it equals the float64 function but for the sign of a zero.
func relu6[T float32 | float64](x, out []T) {
	out = out[:len(x)]
	for i, v := range x {
		out[i] = min(max(v, 0), 6)
	}
}

// relu6Grad is dy * relu6Fn.df(x) on slices: dy where 0 < x < 6, else 0.
// The two tests are joined by a bitwise and, not &&: a short-circuit is a
// branch that mispredicts on random signs (4x slower on 65,536 values).
func relu6Grad[T float32 | float64](x, dy, out []T) {
	out, dy = out[:len(x)], dy[:len(x)]
	for i, v := range x {
		out[i] = relu6Pass(dy[i], v)
	}
}

// relu6Pass is ReLU6's gradient of one element: dy times 1 where
// 0 < v < 6, else times 0. v may be the input or the output (clamping
// keeps the order, and a NaN gives 0 either way), so batch norm with a
// fused ReLU6 applies it to its output.
func relu6Pass[T float32 | float64](dy, v T) T { return bnrows.ReLU6Pass(dy, v) }

func (op *pointwiseOp) DiffWRT(int) []bool { return []bool{true} }

func (op *pointwiseOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad || len(inputs) != 1 {
		return nil, errors.Errorf("%s: no second derivative", op)
	}
	dx, err := G.ApplyOp(&pointwiseOp{fn: op.fn, shape: op.shape, grad: true, team: op.team}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// The pointwise functions, as PyTorch defines them (torch.nn.ReLU6,
// LeakyReLU, SiLU, Hardsigmoid, Hardswish). At the kinks the derivative is
// PyTorch's too: 0 at 0 and 6 for ReLU6, and so on.
var (
	relu6Fn = pointwise{"ReLU6",
		func(x float64) float64 { return math.Min(math.Max(x, 0), 6) },
		func(x float64) float64 { return b2f(x > 0 && x < 6) }}
	siluFn = pointwise{"SiLU",
		func(x float64) float64 { return x * sigmoid(x) },
		func(x float64) float64 { s := sigmoid(x); return s * (1 + x*(1-s)) }}
	hardSigmoidFn = pointwise{"HardSigmoid",
		func(x float64) float64 { return math.Min(math.Max(x+3, 0), 6) / 6 },
		func(x float64) float64 { return b2f(x > -3 && x < 3) / 6 }}
	hardSwishFn = pointwise{"HardSwish",
		func(x float64) float64 { return x * math.Min(math.Max(x+3, 0), 6) / 6 },
		func(x float64) float64 {
			switch {
			case x < -3:
				return 0
			case x > 3:
				return 1
			}
			return (2*x + 3) / 6
		}}
)

// leakyReLUFn is max(x, slope*x) for x < 0.
func leakyReLUFn(slope float64) pointwise {
	return pointwise{fmt.Sprintf("LeakyReLU(%g)", slope),
		func(x float64) float64 {
			if x > 0 {
				return x
			}
			return slope * x
		},
		func(x float64) float64 {
			if x > 0 {
				return 1
			}
			return slope
		}}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// pointwise applies fn to x with n's team.
func (n *Net) pointwise(fn pointwise) func(*G.Node) (*G.Node, error) {
	return func(x *G.Node) (*G.Node, error) {
		return G.ApplyOp(&pointwiseOp{fn: fn, shape: []int(x.Shape().Clone()), team: n.team}, x)
	}
}
