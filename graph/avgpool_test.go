package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAvgPoolByRows: average pooling a row of outputs at a time gives the
// window-by-window loop's bits, forward and backward, for every stride,
// padding and window shape the networks use (and odd ones: maps narrower
// than the window, whose outer window columns lie wholly in the padding).
func TestAvgPoolByRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, c := range [][6]int{{3, 3, 1, 1, 9, 9}, {2, 2, 2, 0, 8, 8}, {3, 3, 2, 1, 10, 7}, {5, 5, 3, 2, 12, 12}, {1, 3, 1, 0, 5, 6}, {3, 1, 2, 1, 7, 4}, {5, 5, 1, 2, 5, 1}, {5, 5, 1, 2, 1, 1}, {3, 3, 1, 1, 300, 2}} {
		kh, kw, st, pad, h, w := c[0], c[1], c[2], c[3], c[4], c[5]
		o := convOpts{kh: kh, kw: kw, sh: st, sw: st, ph: pad, pw: pad}
		oh, ow := (h+2*pad-kh)/st+1, (w+2*pad-kw)/st+1
		if c[4] == 300 { // a row wider than the backward pass's buffer: runs of 256 columns
			h, w, oh, ow = 2, 300, 2, 300
			o.ph = 1
		}
		op := newPoolOp(nil, []int{2, 3, h, w}, o, oh, ow, true)
		in, dy := make([]float64, 6*h*w), make([]float32, 6*oh*ow)
		for i := range in {
			in[i] = rng.NormFloat64()
		}
		for i := range dy {
			dy[i] = float32(rng.NormFloat64())
		}
		got, want := make([]float64, 6*oh*ow), make([]float64, 6*oh*ow)
		avgForward(op, in, got)
		avgForwardRef(op, in, want)
		dxGot, dxWant := make([]float32, 6*h*w), make([]float32, 6*h*w)
		avgBackward(op, dy, dxGot)
		avgBackwardRef(op, dy, dxWant)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%v forward output %d: %v, window by window %v", c, i, got[i], want[i])
			}
		}
		for i := range dxGot {
			if math.Float32bits(dxGot[i]) != math.Float32bits(dxWant[i]) {
				t.Fatalf("%v backward input %d: %v, window by window %v", c, i, dxGot[i], dxWant[i])
			}
		}
	}
}

// avgForwardRef is the plain loop avgForward replaced: it each window (padding counts as zeros).
func avgForwardRef[T float32 | float64](op *poolOp, in, out []T) {
	h, w, area := op.in[2], op.in[3], T(op.kh*op.kw)
	op.team.parallelFor(op.in[0]*op.in[1], 8, func(lo, hi int) {
		o := lo * op.outH * op.outW
		for p := lo; p < hi; p++ {
			plane := in[p*h*w : (p+1)*h*w]
			for oy := 0; oy < op.outH; oy++ {
				y0 := oy*op.sh - op.ph
				for ox := 0; ox < op.outW; ox++ {
					x0 := ox*op.sw - op.pw
					var sum T
					for y := max(0, y0); y < min(h, y0+op.kh); y++ {
						for _, v := range plane[y*w+max(0, x0) : y*w+min(w, x0+op.kw)] {
							sum += v
						}
					}
					out[o] = sum / area
					o++
				}
			}
		}
	})
}

// avgBackwardRef is the plain loop avgBackward replaced: it spreads each output's gradient over its window.
func avgBackwardRef[T float32 | float64](op *poolOp, dy, dx []T) {
	h, w, area := op.in[2], op.in[3], T(op.kh*op.kw)
	op.team.parallelFor(op.in[0]*op.in[1], 8, func(lo, hi int) {
		clear(dx[lo*h*w : hi*h*w])
		o := lo * op.outH * op.outW
		for p := lo; p < hi; p++ {
			plane := dx[p*h*w : (p+1)*h*w]
			for oy := 0; oy < op.outH; oy++ {
				y0 := oy*op.sh - op.ph
				for ox := 0; ox < op.outW; ox++ {
					x0 := ox*op.sw - op.pw
					g := dy[o] / area
					o++
					for y := max(0, y0); y < min(h, y0+op.kh); y++ {
						row := plane[y*w+max(0, x0) : y*w+min(w, x0+op.kw)]
						for i := range row {
							row[i] += g
						}
					}
				}
			}
		}
	})
}

// BenchmarkAvgPool times 3x3 average pooling at stride 1 (Inception's pool
// branch), forward and backward, of 64 images of 64 channels on one core.
func BenchmarkAvgPool(b *testing.B) {
	for _, size := range []int{4, 8, 28} {
		b.Run(fmt.Sprintf("%dx%d", size, size), func(b *testing.B) {
			op := newPoolOp(nil, []int{64, 64, size, size}, convOpts{kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1}, size, size, true)
			in, out, dx := make([]float32, 64*64*size*size), make([]float32, 64*64*size*size), make([]float32, 64*64*size*size)
			for b.Loop() {
				avgForward(op, in, out)
				avgBackward(op, out, dx)
			}
		})
	}
}

// TestAvgPoolVectorSameBits: "same" average pooling in float32 by padded
// planes and vec.SumTaps gives the window-by-window loop's bits, forward
// and backward, zeros of both signs among the values, in two runs of planes
// (as two workers) and, on 64x64 maps, in several blocks.
func TestAvgPoolVectorSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, c := range [][6]int{{3, 3, 1, 1, 8, 8}, {3, 3, 1, 1, 4, 4}, {3, 3, 1, 1, 2, 2}, {3, 3, 1, 1, 1, 1}, {5, 5, 2, 2, 6, 3},
		{1, 3, 0, 1, 4, 7}, {3, 1, 1, 0, 7, 4}, {3, 3, 1, 1, 64, 64}, {7, 7, 3, 3, 9, 20}} {
		kh, kw, ph, pw, h, w := c[0], c[1], c[2], c[3], c[4], c[5]
		o := convOpts{kh: kh, kw: kw, sh: 1, sw: 1, ph: ph, pw: pw}
		planes := 9
		op := newPoolOp(nil, []int{3, 3, h, w}, o, h, w, true)
		if !avgSameShape(op) {
			t.Fatalf("%v: not a same shape", c)
		}
		in, dy := make([]float32, planes*h*w), make([]float32, planes*h*w)
		for i := range in {
			in[i], dy[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			if rng.IntN(4) == 0 {
				in[i], dy[i] = float32(math.Copysign(0, -1)), float32(math.Copysign(0, -1))
			}
		}
		got, want := make([]float32, len(in)), make([]float32, len(in))
		dxGot, dxWant := make([]float32, len(in)), make([]float32, len(in))
		taps := avgTapOffsets(op)
		avgVector(op, taps, in, got, 0, 4, false)
		avgVector(op, taps, in, got, 4, planes, false)
		avgVector(op, taps, dy, dxGot, 0, 5, true)
		avgVector(op, taps, dy, dxGot, 5, planes, true)
		avgForwardRef(op, in, want)
		avgBackwardRef(op, dy, dxWant)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%v forward output %d: %v, window by window %v", c, i, got[i], want[i])
			}
			if math.Float32bits(dxGot[i]) != math.Float32bits(dxWant[i]) {
				t.Fatalf("%v backward input %d: %v, window by window %v", c, i, dxGot[i], dxWant[i])
			}
		}
	}
}
