package graph

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/convnets/convnets/internal/vec"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// poolOp is max pooling (or, with avg, average pooling) over (B, C, H, W).
// Max pooling pads at no cost (a padded cell never wins). It replaces Gorgonia's MaxPool2D, whose backward
// pass indexes out of range (and panics in the machine's goroutine, which
// nothing can recover) when a whole window is NaN: here NaN propagates like
// any value, so a diverging run reaches the loop's NaN check and stops
// cleanly. The forward pass records each output's argmax for the backward
// pass, as Caffe does.
type poolOp struct {
	opBase
	in                 [4]int // B, C, H, W
	kh, kw, sh, sw     int
	ph, pw, outH, outW int
	mask               []int32 // argmax per output, an index into the input
	noDX               bool    // the input is the network's: no gradient needed
	// avg makes it average pooling: each output is its window's sum over
	// Kh*Kw, padding counted as zeros (PyTorch's count_include_pad).
	avg     bool
	ranges  [][2]int    // average pooling: each window column's outputs inside the image (avgRanges)
	scratch poolScratch // the vector passes' row results (poolVector, avgVector)
	taps    []int       // average pooling: a window's taps in a padded plane (avgTapOffsets)
	out     outBuf
	team    *team
}

// newPoolOp makes a max pooling op, or an average pooling one when avg
// (which needs no argmax mask).
func newPoolOp(t *team, in []int, o convOpts, outH, outW int, avg bool) *poolOp {
	op := &poolOp{in: [4]int{in[0], in[1], in[2], in[3]}, kh: o.kh, kw: o.kw, sh: o.sh, sw: o.sw, ph: o.ph, pw: o.pw,
		outH: outH, outW: outW, avg: avg, team: t}
	return op
}

func (op *poolOp) outShape() tensor.Shape {
	return tensor.Shape{op.in[0], op.in[1], op.outH, op.outW}
}

func (op *poolOp) Arity() int { return 1 }
func (op *poolOp) Type() hm.Type {
	t := &G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t)
}
func (op *poolOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return op.outShape(), nil }
func (op *poolOp) String() string {
	if op.avg {
		return fmt.Sprintf("convnetsAvgPool%v(k %dx%d, s %dx%d, p %dx%d)", op.in, op.kh, op.kw, op.sh, op.sw, op.ph, op.pw)
	}
	return fmt.Sprintf("convnetsMaxPool%v(k %dx%d, s %dx%d, p %dx%d)", op.in, op.kh, op.kw, op.sh, op.sw, op.ph, op.pw)
}
func (op *poolOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *poolOp) Hashcode() uint32      { return hashOf(op) }

func (op *poolOp) Do(inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	x, err := op.check(inputs)
	if err != nil {
		return nil, err
	}
	out := op.out.get(x.Dtype(), op.outShape())
	return out, op.forward(x, out)
}

func (op *poolOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	x, err := op.check(inputs)
	if err != nil {
		return nil, err
	}
	out, ok := prealloc.(*tensor.Dense)
	if !ok {
		return nil, errors.Errorf("%s: preallocated value is %T", op, prealloc)
	}
	return out, op.forward(x, out)
}

func (op *poolOp) check(inputs []G.Value) (*tensor.Dense, error) {
	if len(inputs) != 1 {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	x, ok := inputs[0].(*tensor.Dense)
	if !ok || !x.Shape().Eq(tensor.Shape(op.in[:])) {
		return nil, errors.Errorf("%s: input %v", op, inputs[0].Shape())
	}
	return x, nil
}

func (op *poolOp) forward(x, out *tensor.Dense) error {
	switch data := x.Data().(type) {
	case []float32:
		if op.avg {
			avgForward(op, data, out.Data().([]float32))
			return nil
		}
		poolForward(op, data, out.Data().([]float32))
	case []float64:
		if op.avg {
			avgForward(op, data, out.Data().([]float64))
			return nil
		}
		poolForward(op, data, out.Data().([]float64))
	default:
		return errors.Errorf("%s: dtype %v", op, x.Dtype())
	}
	return nil
}

// ensureMask allocates the argmax mask, one index per output.
func (op *poolOp) ensureMask() {
	if n := op.in[0] * op.in[1] * op.outH * op.outW; len(op.mask) != n {
		op.mask = make([]int32, n)
	}
}

// poolForward takes each window's maximum: the first largest value in
// row-major window order, or a NaN when the window holds one, so that it
// propagates (see poolPlanes). The argmax mask is allocated at the first
// run, not when the graph is built: a summary builds graphs only.
func poolForward[T float32 | float64](op *poolOp, in, out []T) {
	planes := op.in[0] * op.in[1]
	op.ensureMask()
	var zero T
	_, f32 := any(zero).(float32)
	vector := f32 && (poolSameShape(op) || poolStridedShape(op))
	op.team.parallelFor(planes, 8, func(lo, hi int) { poolPlanes(op, in, out, lo, hi, vector) })
}

// poolPlanes pools planes lo..hi (image and channel pairs). Planes with a
// NaN go window by window (poolWindows), a NaN winning; the others, when
// every window holds a pixel, by vector passes where vector says so
// (poolSame, poolStrided), else separably (a row pass then a column pass,
// 2k comparisons an output instead of k²). All keep the first largest
// value in row-major window order, and its index.
func poolPlanes[T float32 | float64](op *poolOp, in, out []T, lo, hi int, vector bool) {
	size := op.in[2] * op.in[3]
	switch {
	case hasNaN(in[lo*size:hi*size]) || op.ph >= op.kh || op.pw >= op.kw:
		poolWindows(op, in, out, lo, hi)
	case vector:
		poolVector(op, *any(&in).(*[]float32), *any(&out).(*[]float32), lo, hi)
	default:
		poolSeparable(op, in, out, lo, hi)
	}
}

// hasNaN says whether x holds a NaN.
func hasNaN[T float32 | float64](x []T) bool {
	if x32, ok := any(&x).(*[]float32); ok {
		return vec.HasNaN(*x32)
	}
	for _, v := range x {
		if v != v {
			return true
		}
	}
	return false
}

// poolWindows pools planes lo..hi window by window, a NaN winning.
func poolWindows[T float32 | float64](op *poolOp, in, out []T, lo, hi int) {
	h, w := op.in[2], op.in[3]
	o := lo * op.outH * op.outW
	for p := lo; p < hi; p++ {
		base := p * h * w
		for oy := 0; oy < op.outH; oy++ {
			y0 := oy*op.sh - op.ph
			for ox := 0; ox < op.outW; ox++ {
				x0 := ox*op.sw - op.pw
				best, arg := T(math.Inf(-1)), -1
				for ky := max(0, -y0); ky < op.kh && y0+ky < h; ky++ {
					row := base + (y0+ky)*w
					for kx := max(0, -x0); kx < op.kw && x0+kx < w; kx++ {
						v := in[row+x0+kx]
						if arg < 0 || v > best || v != v {
							best, arg = v, row+x0+kx
							if v != v {
								ky = op.kh // a NaN window's maximum is NaN
								break
							}
						}
					}
				}
				out[o] = best
				op.mask[o] = int32(arg)
				o++
			}
		}
	}
}

// poolSeparable: for each input row, the maximum (and its index) over each
// output column's horizontal span; then for each output, the first row of
// its vertical span with the largest of those.
func poolSeparable[T float32 | float64](op *poolOp, in, out []T, lo, hi int) {
	h, w, ow := op.in[2], op.in[3], op.outW
	rowMax := make([]T, h*ow)
	rowArg := make([]int32, h*ow)
	for p := lo; p < hi; p++ {
		base := p * h * w
		for y := 0; y < h; y++ {
			row := in[base+y*w : base+(y+1)*w]
			for ox := 0; ox < ow; ox++ {
				x0 := ox*op.sw - op.pw
				a, b := max(0, x0), min(w, x0+op.kw)
				best, arg := row[a], a
				for x := a + 1; x < b; x++ { // branch-free: the data decide
					v := row[x]
					up := b2i(v > best)
					arg += (x - arg) * up
					best = [2]T{best, v}[up]
				}
				rowMax[y*ow+ox], rowArg[y*ow+ox] = best, int32(base+y*w+arg)
			}
		}
		o := p * op.outH * ow
		for oy := 0; oy < op.outH; oy++ {
			y0 := oy*op.sh - op.ph
			a, b := max(0, y0), min(h, y0+op.kh)
			copy(out[o:o+ow], rowMax[a*ow:(a+1)*ow])
			copy(op.mask[o:o+ow], rowArg[a*ow:(a+1)*ow])
			for y := a + 1; y < b; y++ {
				vals, args := rowMax[y*ow:(y+1)*ow], rowArg[y*ow:(y+1)*ow]
				dst, arg := out[o:o+ow], op.mask[o:o+ow]
				for ox, v := range vals {
					up := b2i(v > dst[ox])
					arg[ox] += (args[ox] - arg[ox]) * int32(up)
					dst[ox] = [2]T{dst[ox], v}[up]
				}
			}
			o += ow
		}
	}
}

func (op *poolOp) DiffWRT(int) []bool { return []bool{!op.noDX} }

func (op *poolOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(&poolGradOp{fwd: op}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// poolGradOp sends each output's gradient to its window's argmax. Its
// inputs are the pooling's input (for the shape) and the output gradient.
type poolGradOp struct {
	opBase
	fwd *poolOp
	out outBuf
}

func (op *poolGradOp) Arity() int { return 2 }
func (op *poolGradOp) Type() hm.Type {
	t := &G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}
func (op *poolGradOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.fwd.in[:]).Clone(), nil
}
func (op *poolGradOp) String() string        { return "Grad" + op.fwd.String() }
func (op *poolGradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op.fwd) }
func (op *poolGradOp) Hashcode() uint32      { return hashOf(op) }

func (op *poolGradOp) Do(inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	if len(inputs) != 2 {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	dx := op.out.get(inputs[1].Dtype(), op.fwd.in[:])
	return dx, op.backward(inputs[1], dx)
}

func (op *poolGradOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	if len(inputs) != 2 {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	dx, ok := prealloc.(*tensor.Dense)
	if !ok {
		return nil, errors.Errorf("%s: preallocated value is %T", op, prealloc)
	}
	return dx, op.backward(inputs[1], dx)
}

func (op *poolGradOp) backward(dy G.Value, dx *tensor.Dense) error {
	switch g := dy.Data().(type) {
	case []float32:
		if op.fwd.avg {
			avgBackward(op.fwd, g, dx.Data().([]float32))
			return nil
		}
		poolBackward(op.fwd, g, dx.Data().([]float32))
	case []float64:
		if op.fwd.avg {
			avgBackward(op.fwd, g, dx.Data().([]float64))
			return nil
		}
		poolBackward(op.fwd, g, dx.Data().([]float64))
	default:
		return errors.Errorf("%s: dtype %v", op, dy.Dtype())
	}
	return nil
}

func poolBackward[T float32 | float64](op *poolOp, dy, dx []T) {
	inPlane, outPlane := op.in[2]*op.in[3], op.outH*op.outW
	op.team.parallelFor(op.in[0]*op.in[1], 8, func(lo, hi int) {
		clear(dx[lo*inPlane : hi*inPlane])
		for o := lo * outPlane; o < hi*outPlane; o++ {
			if i := op.mask[o]; i >= 0 {
				dx[i] += dy[o]
			}
		}
	})
}
