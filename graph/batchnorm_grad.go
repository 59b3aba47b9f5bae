package graph

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/convnets/convnets/internal/bnrows"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// bnSumsOp reduces a batch norm's output gradient per channel: row 0 of its
// (2, C) output is sum(dy) (the bias's gradient), row 1 sum(dy * xhat) (the
// weight's), with xhat the input normalised by the last training batch's
// statistics. Inputs: x, dy, and with a fused activation its output y,
// which masks dy.
type bnSumsOp struct {
	opBase
	*bnState
	out outBuf
}

// bnGradOp is the input's gradient of a training-mode batch norm, from the
// sums: dx = weight*invStd * (dy - sum(dy)/n - xhat*sum(dy*xhat)/n), one
// pass. Inputs: x, weight, dy, sums, and with a fused activation its
// output y.
type bnGradOp struct {
	opBase
	*bnState
	out outBuf
}

// bnPickOp copies one row of the (2, C) sums into a parameter's shape.
type bnPickOp struct {
	opBase
	row   int
	shape []int
	out   outBuf
}

func (op *bnSumsOp) Arity() int { return 2 + op.act.arity() }
func (op *bnSumsOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	x := &G.TensorType{Dims: len(op.shape), Of: a}
	if op.act != bnNone {
		return hm.NewFnType(x, x, x, &G.TensorType{Dims: 2, Of: a})
	}
	return hm.NewFnType(x, x, &G.TensorType{Dims: 2, Of: a})
}
func (op *bnSumsOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{2, op.c}, nil
}
func (op *bnSumsOp) String() string {
	return fmt.Sprintf("convnetsBatchNorm%sSums%v", op.act.name(), op.shape)
}
func (op *bnSumsOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *bnSumsOp) Hashcode() uint32      { return hashOf(op) }

func (op *bnSumsOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, []int{2, op.c}, inputs)
}

func (op *bnSumsOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *bnSumsOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return bnSums(op, o, inputs)
	case []float64:
		return bnSums(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func bnSums[T float32 | float64](op *bnSumsOp, out []T, inputs []G.Value) error {
	if !op.training {
		return errors.Errorf("%s: the gradient of batch norm in evaluation mode (running statistics) is not what this op computes", op)
	}
	size := op.shape[0] * op.c * op.s
	in, err := bnData[T](op, inputs, size, size, size)
	if err != nil {
		return err
	}
	x, dy := in[0], in[1]
	op.channels(func(lo, hi int) {
		c := lo
		for ; c+bnGroup <= hi; c += bnGroup {
			var y []T
			if op.act != bnNone {
				y = in[2]
			}
			mean := [bnGroup]float64(op.mean[c : c+bnGroup])
			sdy, sdyx := groupGradSums(op.bnState, op.act, x, dy, y, c, mean)
			for k := range bnGroup {
				out[c+k], out[op.c+c+k] = T(sdy[k]), T(sdyx[k]*op.invStd[c+k])
			}
		}
		for ; c < hi; c++ {
			mean := op.mean[c]
			var sdy, sdyx float64
			op.each(c, func(off int) {
				g := dy[off : off+op.s]
				switch op.act {
				case bnReLU:
					y := in[2][off : off+op.s]
					for i, v := range x[off : off+op.s] {
						d := float64(reluPass(g[i], y[i]))
						sdy += d
						sdyx += d * (float64(v) - mean)
					}
					return
				case bnReLU6:
					y := in[2][off : off+op.s]
					for i, v := range x[off : off+op.s] {
						d := float64(relu6Pass(g[i], y[i]))
						sdy += d
						sdyx += d * (float64(v) - mean)
					}
					return
				}
				for i, v := range x[off : off+op.s] {
					d := float64(g[i])
					sdy += d
					sdyx += d * (float64(v) - mean)
				}
			})
			out[c], out[op.c+c] = T(sdy), T(sdyx*op.invStd[c])
		}
	})
	return nil
}

func (op *bnGradOp) Arity() int { return 4 + op.act.arity() }
func (op *bnGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	x := &G.TensorType{Dims: len(op.shape), Of: a}
	if op.act != bnNone {
		return hm.NewFnType(x, x, x, &G.TensorType{Dims: 2, Of: a}, x, x)
	}
	return hm.NewFnType(x, x, x, &G.TensorType{Dims: 2, Of: a}, x)
}
func (op *bnGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape).Clone(), nil
}
func (op *bnGradOp) String() string {
	return fmt.Sprintf("convnetsBatchNorm%sGrad%v", op.act.name(), op.shape)
}
func (op *bnGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *bnGradOp) Hashcode() uint32      { return hashOf(op) }

func (op *bnGradOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.shape, inputs)
}

func (op *bnGradOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *bnGradOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return bnGrad(op, o, inputs)
	case []float64:
		return bnGrad(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func bnGrad[T float32 | float64](op *bnGradOp, out []T, inputs []G.Value) error {
	if !op.training {
		return errors.Errorf("%s: the gradient of batch norm in evaluation mode (running statistics) is not what this op computes", op)
	}
	in, err := bnData[T](op, inputs, len(out), op.c, len(out), 2*op.c, len(out))
	if err != nil {
		return err
	}
	weight, dy, sums := in[1], in[2], in[3]
	x := in[0]
	n := float64(op.shape[0] * op.s)
	op.channels(func(lo, hi int) {
		for c := lo; c < hi; c++ {
			// dx = g*dy + k*(x - mean) + k0 with g = weight*invStd,
			// k = -g*invStd*sum(dy*xhat)/n, k0 = -g*sum(dy)/n. The mean is
			// taken off x first, in two parts (its rounding to T and the
			// rest): k*x and k*mean nearly cancel where the mean is large
			// against the spread, and float32 would lose the difference.
			g := float64(weight[c]) * op.invStd[c]
			k := -g * op.invStd[c] * float64(sums[op.c+c]) / n
			k0 := -g * float64(sums[c]) / n
			hi := T(op.mean[c])
			lo := T(op.mean[c] - float64(hi))
			gc := bnrows.GradConsts[T]{Hi: hi, Lo: lo, G: T(g), K: T(k), K0: T(k0)}
			op.each(c, func(off int) {
				var y []T // the fused activation's outputs
				if op.act != bnNone {
					y = in[4][off : off+op.s]
				}
				gradRun(out[off:off+op.s], dy[off:off+op.s], y, x[off:off+op.s], gc, op.act)
			})
		}
	})
	return nil
}

func (op *bnPickOp) Arity() int { return 1 }
func (op *bnPickOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(&G.TensorType{Dims: 2, Of: a}, &G.TensorType{Dims: len(op.shape), Of: a})
}
func (op *bnPickOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape).Clone(), nil
}
func (op *bnPickOp) String() string {
	return fmt.Sprintf("convnetsBatchNormPick%d%v", op.row, op.shape)
}
func (op *bnPickOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *bnPickOp) Hashcode() uint32      { return hashOf(op) }

func (op *bnPickOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.shape, inputs)
}

func (op *bnPickOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *bnPickOp) fill(out *tensor.Dense, inputs []G.Value) error {
	sums := inputs[0]
	c := out.Size()
	if sums.Shape().TotalSize() != 2*c {
		return errors.Errorf("%s: sums %v", op, sums.Shape())
	}
	switch o := out.Data().(type) {
	case []float32:
		if s, ok := sums.Data().([]float32); ok {
			copy(o, s[op.row*c:(op.row+1)*c])
			return nil
		}
	case []float64:
		if s, ok := sums.Data().([]float64); ok {
			copy(o, s[op.row*c:(op.row+1)*c])
			return nil
		}
	}
	return errors.Errorf("%s: dtype %v, sums %v", op, out.Dtype(), sums.Dtype())
}
