package graph

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// dwOp is a depthwise convolution: one group per input channel, each
// output channel o reading input channel o/(O/C) only (MobileNet's 3x3 and
// 5x5 layers). It is not a matrix product: each output is a sum of KH*KW
// products, computed by direct loops over the image, in parallel over
// images and channels; each sum is taken in the same order whatever the
// number of workers. Its passes are ops of the same type; the bias
// gradient is convOp's.
type dwOp struct {
	opBase
	pass int // convForward, convGradData or convGradFilter
	g    convGeom
	bias bool // the forward pass adds a bias per output channel
	noDX bool // x is the network's input: no gradient for it
	team *team
	out  outBuf
}

func (op *dwOp) Arity() int {
	if op.pass == convForward && op.bias {
		return 3
	}
	return 2
}

func (op *dwOp) Type() hm.Type {
	t := &G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	ts := make([]hm.Type, op.Arity()+1)
	for i := range ts {
		ts[i] = t
	}
	return hm.NewFnType(ts...)
}

func (op *dwOp) outShape() []int {
	switch op.pass {
	case convGradData:
		return op.g.xShape()
	case convGradFilter:
		return []int{op.g.o, 1, op.g.kh, op.g.kw}
	}
	return op.g.yShape()
}

func (op *dwOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.outShape()), nil
}

func (op *dwOp) String() string {
	g := op.g
	return fmt.Sprintf("convnetsDepthwise%s(%dx%d->%d, k %dx%d, s %dx%d, p %dx%d%s)", [...]string{"", "GradData", "GradFilter"}[op.pass],
		g.c, g.h, g.o, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dilation())
}
func (op *dwOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *dwOp) Hashcode() uint32      { return hashOf(op) }

func (op *dwOp) Do(inputs ...G.Value) (G.Value, error) {
	return doFill(op, &op.out, op.outShape(), inputs)
}

func (op *dwOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (G.Value, error) {
	return preallocFill(op, prealloc, inputs)
}

func (op *dwOp) fill(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return dwRun(op, o, inputs)
	case []float64:
		return dwRun(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func dwRun[T float32 | float64](op *dwOp, out []T, inputs []G.Value) error {
	in := make([][]T, len(inputs))
	for i, v := range inputs {
		var ok bool
		if in[i], ok = v.Data().([]T); !ok {
			return errors.Errorf("%s: input %d has dtype %v", op, i, v.Dtype())
		}
	}
	g := op.g
	taps := g.taps()
	switch op.pass {
	case convForward: // in: x, w[, b]
		op.team.parallelFor(g.b*g.o, 1, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				dwForward(g, taps, in[0], in[1], out, p)
				if op.bias {
					v := in[2][p%g.o]
					for i := range out[p*g.ohw() : (p+1)*g.ohw()] {
						out[p*g.ohw()+i] += v
					}
				}
			}
		})
	case convGradData: // in: w, dy
		op.team.parallelFor(g.b*g.c, 1, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				dwGradData(g, taps, in[0], in[1], out, p)
			}
		})
	case convGradFilter: // in: x, dy
		op.team.parallelFor(g.o, 1, func(lo, hi int) {
			for o := lo; o < hi; o++ {
				dwGradFilter(g, taps, in[0], in[1], out, o)
			}
		})
	}
	return nil
}

// dwTap is the part of the image one kernel tap at offset (ky, kx) (its
// index times the dilation) reads: output
// rows [oy0, oy1) and columns [ox0, ox1) read input row oy*sh - ph + ky
// and column ox*sw + off, all inside the image.
type dwTap struct{ oy0, oy1, ox0, ox1, off, ky int }

// taps are the kernel's taps in weight order (row by row).
func (g convGeom) taps() []dwTap {
	taps := make([]dwTap, 0, g.kh*g.kw)
	for ky := 0; ky < g.kh; ky++ {
		for kx := 0; kx < g.kw; kx++ {
			taps = append(taps, g.tap(ky*g.dh, kx*g.dw))
		}
	}
	return taps
}

func (g convGeom) tap(ky, kx int) dwTap {
	// i = o*s - p + k in [0, n)  <=>  o in [ceil((p-k)/s), ceil((n+p-k)/s))
	t := dwTap{off: kx - g.pw, ky: ky}
	t.oy0, t.oy1 = max(0, ceilDiv(g.ph-ky, g.sh)), min(g.oh, ceilDiv(g.h+g.ph-ky, g.sh))
	t.ox0, t.ox1 = max(0, ceilDiv(g.pw-kx, g.sw)), min(g.ow, ceilDiv(g.w+g.pw-kx, g.sw))
	if t.oy0 >= t.oy1 || t.ox0 >= t.ox1 { // the tap reads only padding (a dilated or large kernel on a small map)
		t.oy0, t.oy1, t.ox0, t.ox1 = 0, 0, 0, 0
	}
	return t
}

// ceilDiv is a/b rounded up, for b > 0 and any a.
func ceilDiv(a, b int) int {
	if a <= 0 {
		return -((-a) / b)
	}
	return (a + b - 1) / b
}

// dwForward sets plane p = (image, output channel) of y: for each tap in
// order, its weight times the input it reads, added.
func dwForward[T float32 | float64](g convGeom, taps []dwTap, x, w, y []T, p int) {
	b, o := p/g.o, p%g.o
	c := o / (g.o / g.c)
	xp := x[(b*g.c+c)*g.h*g.w : (b*g.c+c+1)*g.h*g.w]
	yp := y[p*g.ohw() : (p+1)*g.ohw()]
	wk := w[o*g.kh*g.kw : (o+1)*g.kh*g.kw]
	clear(yp)
	for k, t := range taps {
		wv := wk[k]
		for oy := t.oy0; oy < t.oy1; oy++ {
			row := xp[(oy*g.sh-g.ph+t.ky)*g.w:]
			dst := yp[oy*g.ow : (oy+1)*g.ow]
			if g.sw == 1 {
				src := row[t.ox0+t.off : t.ox1+t.off]
				d := dst[t.ox0:t.ox1]
				for i, v := range src {
					d[i] += wv * v
				}
				continue
			}
			for ox := t.ox0; ox < t.ox1; ox++ {
				dst[ox] += wv * row[ox*g.sw+t.off]
			}
		}
	}
}

// dwGradData sets plane p = (image, input channel) of dx: the adjoint of
// dwForward over the output channels that read that input channel.
func dwGradData[T float32 | float64](g convGeom, taps []dwTap, w, dy, dx []T, p int) {
	b, c := p/g.c, p%g.c
	mult := g.o / g.c
	dp := dx[p*g.h*g.w : (p+1)*g.h*g.w]
	clear(dp)
	for o := c * mult; o < (c+1)*mult; o++ {
		yp := dy[(b*g.o+o)*g.ohw() : (b*g.o+o+1)*g.ohw()]
		wk := w[o*g.kh*g.kw : (o+1)*g.kh*g.kw]
		for k, t := range taps {
			wv := wk[k]
			for oy := t.oy0; oy < t.oy1; oy++ {
				row := dp[(oy*g.sh-g.ph+t.ky)*g.w:]
				src := yp[oy*g.ow : (oy+1)*g.ow]
				if g.sw == 1 {
					d := row[t.ox0+t.off : t.ox1+t.off]
					for i, v := range src[t.ox0:t.ox1] {
						d[i] += wv * v
					}
					continue
				}
				for ox := t.ox0; ox < t.ox1; ox++ {
					row[ox*g.sw+t.off] += wv * src[ox]
				}
			}
		}
	}
}

// dwGradFilter sets the kernel of output channel o in dw: each tap's sum
// over the images in order.
func dwGradFilter[T float32 | float64](g convGeom, taps []dwTap, x, dy, dw []T, o int) {
	c := o / (g.o / g.c)
	wk := dw[o*g.kh*g.kw : (o+1)*g.kh*g.kw]
	clear(wk)
	for b := 0; b < g.b; b++ {
		xp := x[(b*g.c+c)*g.h*g.w : (b*g.c+c+1)*g.h*g.w]
		yp := dy[(b*g.o+o)*g.ohw() : (b*g.o+o+1)*g.ohw()]
		for k, t := range taps {
			var s T
			for oy := t.oy0; oy < t.oy1; oy++ {
				row := xp[(oy*g.sh-g.ph+t.ky)*g.w:]
				src := yp[oy*g.ow : (oy+1)*g.ow]
				if g.sw == 1 {
					r := row[t.ox0+t.off : t.ox1+t.off]
					for i, v := range src[t.ox0:t.ox1] {
						s += v * r[i]
					}
					continue
				}
				for ox := t.ox0; ox < t.ox1; ox++ {
					s += src[ox] * row[ox*g.sw+t.off]
				}
			}
			wk[k] += s
		}
	}
}

func (op *dwOp) DiffWRT(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = i > 0 || !op.noDX
	}
	return out
}

// SymDiff: dx = DepthwiseGradData(w, dy), dw = DepthwiseGradFilter(x, dy)
// and, with a bias, db = ConvGradBias(dy).
func (op *dwOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.pass != convForward {
		return nil, errors.Errorf("%s: no second derivative", op)
	}
	var dx *G.Node
	var err error
	if !op.noDX {
		if dx, err = G.ApplyOp(&dwOp{pass: convGradData, g: op.g, team: op.team}, inputs[1], grad); err != nil {
			return nil, err
		}
	}
	dw, err := G.ApplyOp(&dwOp{pass: convGradFilter, g: op.g, team: op.team}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	if !op.bias {
		return G.Nodes{dx, dw}, nil
	}
	db, err := G.ApplyOp(&convOp{pass: convGradBias, g: op.g, s: &convScratch{}, team: op.team}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}
