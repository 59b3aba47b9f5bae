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

// bnOp is batch normalisation with its scale and shift in one pass:
// y = (x - mean) / sqrt(var + eps) * weight + bias per channel of a
// (B, C, H, W) input, or per feature of a (B, N) one. In training mode mean
// and var are the batch's (var biased, as PyTorch normalises) and the
// running statistics move towards them (the unbiased variance, momentum
// 0.1); in evaluation mode the running statistics normalise. Each channel
// is reduced by one goroutine in a fixed order, in float64, so the result
// is the same on any number of cores.
//
// Its gradient is three ops: bnSumsOp reduces dy and dy*xhat per channel
// (the bias's and the weight's gradients), bnGradOp turns them into dx in
// one pass, and bnPickOp hands each row of the sums to its parameter.
type bnOp struct {
	opBase
	*bnState
	out outBuf
}

// bnState is what a batch norm's ops share: its shape, mode, running
// statistics and the batch statistics of the last training forward pass.
type bnState struct {
	shape    []int // the input's
	c, s     int   // channels; elements per channel and image (H*W, or 1)
	act      bnAct // the activation fused in (see Net.BatchNormReLU)
	training bool
	runMean  *tensor.Dense // (C)
	runVar   *tensor.Dense // (C)
	mean     []float64     // the last training batch's, per channel
	invStd   []float64
	team     *team
}

func newBNState(shape []int, dt tensor.Dtype, tm *team) *bnState {
	c := shape[1]
	s := 1
	for _, d := range shape[2:] {
		s *= d
	}
	st := &bnState{shape: shape, c: c, s: s, training: true, team: tm,
		runMean: tensor.New(tensor.Of(dt), tensor.WithShape(c)),
		runVar:  tensor.New(tensor.Of(dt), tensor.WithShape(c)),
		mean:    make([]float64, c), invStd: make([]float64, c)}
	st.Reset()
	return st
}

// SetTraining switches between batch statistics (true) and running ones;
// Gorgonia's tape machines call it when they are made. The running
// statistics are kept either way.
func (st *bnState) SetTraining(on bool) error { st.training = on; return nil }

// Stats returns the live running mean and variance, each of shape (C).
func (st *bnState) Stats() (mean, variance tensor.Tensor) { return st.runMean, st.runVar }

// SetStats copies mean and variance into the running statistics.
func (st *bnState) SetStats(mean, variance tensor.Tensor) error {
	for _, p := range [][2]tensor.Tensor{{st.runMean, mean}, {st.runVar, variance}} {
		if !p[1].Shape().Eq(p[0].Shape()) || p[1].Dtype() != p[0].Dtype() {
			return errors.Errorf("graph: batch norm statistics %v %v, want %v %v", p[1].Shape(), p[1].Dtype(), p[0].Shape(), p[0].Dtype())
		}
		if err := tensor.Copy(p[0], p[1]); err != nil {
			return errors.Wrap(err, "graph: batch norm statistics")
		}
	}
	return nil
}

// Reset sets the running mean to 0 and the running variance to 1.
func (st *bnState) Reset() error {
	switch m := st.runMean.Data().(type) {
	case []float32:
		clear(m)
		for i := range st.runVar.Data().([]float32) {
			st.runVar.Data().([]float32)[i] = 1
		}
	case []float64:
		clear(m)
		for i := range st.runVar.Data().([]float64) {
			st.runVar.Data().([]float64)[i] = 1
		}
	}
	return nil
}

// bnAct is an activation fused into batch norm: none, ReLU or ReLU6.
type bnAct int

const (
	bnNone bnAct = iota
	bnReLU
	bnReLU6
)

// suffix is the activation's layer name, as its own layer would be named.
func (a bnAct) suffix() string { return [...]string{"", "relu", "relu6"}[a] }

// kind is the activation's ledger kind.
func (a bnAct) kind() Kind { return [...]Kind{"", KindReLU, KindReLU6}[a] }

// name is the activation in the ops' names.
func (a bnAct) name() string { return [...]string{"", "ReLU", "ReLU6"}[a] }

// arity is the inputs a gradient op takes for the fused activation: the
// forward output, which masks dy.
func (a bnAct) arity() int { return b2i(a != bnNone) }

// top is the activation's upper clamp: min(max(v, 0), top) is ReLU with
// +Inf (min(x, +Inf) is x, NaN included) and ReLU6 with 6, branch-free.
func top[T float32 | float64](a bnAct) T {
	if a == bnReLU6 {
		return 6
	}
	return T(math.Inf(1))
}

// channels runs f over the channels, split across the team's cores when
// each share has enough elements; f(lo, hi) handles channels [lo, hi).
func (st *bnState) channels(f func(lo, hi int)) {
	per := st.shape[0] * st.s
	st.team.parallelFor(st.c, max(1, (1<<14)/max(1, per)), f)
}

// each calls f(off) for the start of every run of a channel's elements:
// s contiguous values per image.
func (st *bnState) each(c int, f func(off int)) {
	for b := range st.shape[0] {
		f((b*st.c + c) * st.s)
	}
}

func (op *bnOp) Arity() int { return 3 }
func (op *bnOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	x := &G.TensorType{Dims: len(op.shape), Of: a}
	p := &G.TensorType{Dims: len(op.shape), Of: a}
	return hm.NewFnType(x, p, p, x)
}
func (op *bnOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.shape).Clone(), nil
}
func (op *bnOp) String() string        { return fmt.Sprintf("convnetsBatchNorm%s%v", op.act.name(), op.shape) }
func (op *bnOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *bnOp) Hashcode() uint32      { return hashOf(op) }

func (op *bnOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.shape, inputs)
}

func (op *bnOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *bnOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return bnForward(op, o, inputs)
	case []float64:
		return bnForward(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

// bnData returns the data of values as []T, each of the length given.
func bnData[T float32 | float64](op fmt.Stringer, values []G.Value, lens ...int) ([][]T, error) {
	out := make([][]T, len(values))
	for i, v := range values {
		d, ok := v.Data().([]T)
		if !ok || len(d) != lens[i] {
			return nil, errors.Errorf("%s: input %d: %v of %v, want %d values", op, i, v.Shape(), v.Dtype(), lens[i])
		}
		out[i] = d
	}
	return out, nil
}

func bnForward[T float32 | float64](op *bnOp, out []T, inputs []G.Value) error {
	in, err := bnData[T](op, inputs, len(out), op.c, op.c)
	if err != nil {
		return err
	}
	x, weight, bias := in[0], in[1], in[2]
	rm, rv := op.runMean.Data().([]T), op.runVar.Data().([]T)
	n := float64(op.shape[0] * op.s)
	op.channels(func(lo, hi int) {
		var means, squares [bnGroup]float64
		for c := lo; c < hi; c++ {
			var mean, invStd float64
			if op.training {
				var ss float64
				switch k := (c - lo) % bnGroup; {
				case k == 0 && c+bnGroup <= hi: // this channel and the next three side by side
					sums := groupSums(op.bnState, x, c)
					for j := range means {
						means[j] = sums[j] / n
					}
					squares = groupSquares(op.bnState, x, c, means)
					mean, ss = means[0], squares[0]
				case c+bnGroup-k <= hi: // a channel of the group
					mean, ss = means[k], squares[k]
				default:
					var sum float64
					op.each(c, func(off int) {
						for _, v := range x[off : off+op.s] {
							sum += float64(v)
						}
					})
					mean = sum / n
					op.each(c, func(off int) {
						for _, v := range x[off : off+op.s] {
							d := float64(v) - mean
							ss += d * d
						}
					})
				}
				invStd = 1 / math.Sqrt(ss/n+bnEpsilon)
				op.mean[c], op.invStd[c] = mean, invStd
				rm[c] = T((1-bnMomentum)*float64(rm[c]) + bnMomentum*mean)
				rv[c] = T((1-bnMomentum)*float64(rv[c]) + bnMomentum*ss/max(n-1, 1))
			} else {
				mean, invStd = float64(rm[c]), 1/math.Sqrt(float64(rv[c])+bnEpsilon)
			}
			// y = (x - mean)*a + bias, the mean taken off in two parts (its
			// rounding to T and the rest) so that a mean large against the
			// spread loses nothing to float32.
			a := float64(weight[c]) * invStd
			hi := T(mean)
			lo := T(mean - float64(hi))
			af := bnrows.Affine[T]{Hi: hi, Lo: lo, A: T(a), B: bias[c]}
			op.each(c, func(off int) { // as reluOp and relu6: NaN stays NaN
				normalizeRun(out[off:off+op.s], x[off:off+op.s], af, op.act)
			})
		}
	})
	return nil
}

func (op *bnOp) DiffWRT(int) []bool { return []bool{true, true, true} }

// SymDiff builds the gradient: the per-channel sums first, then dx from
// them, and the weight's and bias's rows of the sums.
func (op *bnOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 3 {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	x, weight := inputs[0], inputs[1]
	var masked G.Nodes // with a fused activation, the output masks dy
	if op.act != bnNone {
		masked = G.Nodes{output}
	}
	sums, err := G.ApplyOp(&bnSumsOp{bnState: op.bnState}, append(G.Nodes{x, grad}, masked...)...)
	if err != nil {
		return nil, err
	}
	dx, err := G.ApplyOp(&bnGradOp{bnState: op.bnState}, append(G.Nodes{x, weight, grad, sums}, masked...)...)
	if err != nil {
		return nil, err
	}
	pshape := []int(weight.Shape().Clone())
	dw, err := G.ApplyOp(&bnPickOp{row: 1, shape: pshape}, sums)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(&bnPickOp{row: 0, shape: pshape}, sums)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}
