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

// logSoftmaxOp is log softmax over the classes of (batch, classes) logits,
// each row shifted by its own maximum. It replaces G.LogSoftMax, whose
// float32 kernel in gorgonia.org/tensor v0.9.24 shifts every row by the
// maximum of the first element of the batch and the row's other elements,
// not the row's own first one: a row whose first logit leads the rest by
// more than 88 overflows exp to +Inf, its log-probabilities become -Inf and
// the loss NaN (seen at the end of a long Fashion-MNIST run, when the
// network is confident). The gradient (grad: inputs y, dy) is
// dx = dy - softmax * sum(dy) per row.
type logSoftmaxOp struct {
	opBase
	shape []int // (batch, classes)
	grad  bool
	out   outBuf
}

func (op *logSoftmaxOp) Arity() int {
	if op.grad {
		return 2
	}
	return 1
}
func (op *logSoftmaxOp) Type() hm.Type {
	t := &G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	if op.grad {
		return hm.NewFnType(t, t, t)
	}
	return hm.NewFnType(t, t)
}
func (op *logSoftmaxOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape).Clone(), nil
}
func (op *logSoftmaxOp) String() string        { return opName("LogSoftmax", op.grad, op.shape) }
func (op *logSoftmaxOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *logSoftmaxOp) Hashcode() uint32      { return hashOf(op) }

func (op *logSoftmaxOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.shape, inputs)
}

func (op *logSoftmaxOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *logSoftmaxOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return logSoftmaxRun(op, o, inputs)
	case []float64:
		return logSoftmaxRun(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func logSoftmaxRun[T float32 | float64](op *logSoftmaxOp, out []T, inputs []G.Value) error {
	x, ok := inputs[0].Data().([]T)
	if !ok || len(x) != len(out) {
		return errors.Errorf("%s: input %v of dtype %v", op, inputs[0].Shape(), inputs[0].Dtype())
	}
	c := op.shape[1]
	if !op.grad {
		for lo := 0; lo+c <= len(x); lo += c {
			logSoftmaxRow(out[lo:lo+c], x[lo:lo+c])
		}
		return nil
	}
	dy, ok := inputs[1].Data().([]T)
	if !ok || len(dy) != len(out) {
		return errors.Errorf("%s: gradient %v of dtype %v", op, inputs[1].Shape(), inputs[1].Dtype())
	}
	// In float32, gradients below the smallest normal number are zero: a
	// confidently classified image's gradient is e^(z_j - z_max) for the
	// other classes, subnormal once the margin passes 87, and subnormal
	// numbers would slow every layer of the backward pass that multiplies
	// them (the matrix kernels read them as zero anyway).
	var tiny T
	if _, ok := any(tiny).(float32); ok {
		tiny = T(0x1p-126)
	}
	for lo := 0; lo+c <= len(x); lo += c {
		y, g, dst := x[lo:lo+c], dy[lo:lo+c], out[lo:lo+c] // x is the forward output here
		var sum float64
		for _, v := range g {
			sum += float64(v)
		}
		for j, v := range y {
			d := g[j] - T(math.Exp(float64(v))*sum)
			if d < tiny && d > -tiny {
				d = 0
			}
			dst[j] = d
		}
	}
	return nil
}

// logSoftmaxRow writes x - max(x) - log(sum(exp(x - max(x)))) into dst,
// summing in float64. A NaN in x makes the row NaN, so the loop sees it.
func logSoftmaxRow[T float32 | float64](dst, x []T) {
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	var sum float64
	for _, v := range x {
		sum += math.Exp(float64(v - m))
	}
	logSum := T(math.Log(sum))
	for j, v := range x {
		dst[j] = (v - m) - logSum
	}
}

func (op *logSoftmaxOp) DiffWRT(int) []bool { return []bool{true} }

func (op *logSoftmaxOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad {
		return nil, errors.Errorf("%s: no second derivative", op)
	}
	dx, err := G.ApplyOp(&logSoftmaxOp{shape: op.shape, grad: true}, output, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// logSoftmax applies logSoftmaxOp to (batch, classes) logits z.
func logSoftmax(z *G.Node) (*G.Node, error) {
	s := z.Shape()
	if len(s) != 2 {
		return nil, errors.Errorf("graph: log softmax of shape %v, want (batch, classes)", s)
	}
	return G.ApplyOp(&logSoftmaxOp{shape: []int(s.Clone())}, z)
}
