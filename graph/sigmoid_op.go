package graph

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// sigmoidOp is 1/(1+exp(-x)) over any shape, split across cores for large
// tensors; its gradient (grad: inputs x, y, dy) is y*sigmoid(-x)*dy. It
// computes exactly what Gorgonia's Sigmoid node and its derivative
// computed before it: Gorgonia's thresholds and float64 exp in the forward
// pass, and in the backward pass the derivative y*(1-y) as Gorgonia's
// compiler rewrites it (1-y becomes the sigmoid of -x), with its products
// in the same order. So networks trained before it keep their weights bit
// for bit; it drops Gorgonia's per-element function call and the
// derivative's three intermediate tensors.
type sigmoidOp struct {
	opBase
	shape []int
	grad  bool
	out   outBuf
	team  *team
}

func (op *sigmoidOp) Arity() int {
	if op.grad {
		return 3
	}
	return 1
}
func (op *sigmoidOp) Type() hm.Type {
	t := &G.TensorType{Dims: len(op.shape), Of: hm.TypeVariable('a')}
	if op.grad {
		return hm.NewFnType(t, t, t, t)
	}
	return hm.NewFnType(t, t)
}
func (op *sigmoidOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape).Clone(), nil
}
func (op *sigmoidOp) String() string        { return opName("Sigmoid", op.grad, op.shape) }
func (op *sigmoidOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *sigmoidOp) Hashcode() uint32      { return hashOf(op) }

func (op *sigmoidOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.shape, inputs)
}

func (op *sigmoidOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *sigmoidOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return sigmoidRun(op, o, inputs, sigmoid32)
	case []float64:
		return sigmoidRun(op, o, inputs, sigmoid64)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func sigmoidRun[T float32 | float64](op *sigmoidOp, out []T, inputs []G.Value, f func(T) T) error {
	in := make([][]T, len(inputs))
	for i, v := range inputs {
		var ok bool
		if in[i], ok = v.Data().([]T); !ok || len(in[i]) != len(out) {
			return errors.Errorf("%s: input %d %v of dtype %v", op, i, v.Shape(), v.Dtype())
		}
	}
	op.team.parallelFor(len(out), 1<<14, func(lo, hi int) {
		o := out[lo:hi]
		if !op.grad {
			for i, v := range in[0][lo:hi] {
				o[i] = f(v)
			}
			return
		}
		x, y, dy := in[0][lo:hi], in[1][lo:hi], in[2][lo:hi]
		x, y, dy = x[:len(o)], y[:len(o)], dy[:len(o)]
		for i := range o {
			t := y[i] * f(-x[i]) // Gorgonia: y ⊙ sigmoid(neg x), then
			o[i] = t * dy[i]     // that ⊙ dy
		}
	})
	return nil
}

// sigmoid32 and sigmoid64 are Gorgonia v0.9.18's _sigmoidf32 and
// _sigmoidf64 (its default build, without the fastmath tag).
func sigmoid32(x float32) float32 {
	if x < -88 {
		return 0
	}
	if x > 15 {
		return 1
	}
	return float32(1.0 / (1.0 + math.Exp(float64(-x))))
}

func sigmoid64(x float64) float64 {
	if x < -709 {
		return 0
	}
	if x > 19 {
		return 1
	}
	return 1.0 / (1.0 + math.Exp(-x))
}

func (op *sigmoidOp) DiffWRT(int) []bool { return []bool{true} }

func (op *sigmoidOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad {
		return nil, errors.Errorf("%s: no second derivative", op)
	}
	dx, err := G.ApplyOp(&sigmoidOp{shape: op.shape, grad: true, team: op.team}, inputs[0], output, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// sigmoid applies sigmoidOp to x, with the team of x's Net.
func (n *Net) sigmoid(x *G.Node) (*G.Node, error) {
	return G.ApplyOp(&sigmoidOp{shape: []int(x.Shape().Clone()), team: n.team}, x)
}
