package graph

import "github.com/convnets/convnets/internal/vec"

// Average pooling at stride 1 with "same" padding (Inception-BN's and
// Inception v3's pool branches: 3x3, padding 1) in float32, by a vector
// kernel. Each plane of a block is copied into a zero-padded one, and every
// window's taps are then added in row-major order from +0 (vec.SumTaps).
// The padding's taps add +0, which leaves every sum as it was (a sum that
// starts at +0 is never -0), so the results are the window-by-window
// loop's bits. The backward pass is the same sum over the output gradient
// divided by the window's area, padded on the far sides: each input's
// shares arrive in row-major order of the outputs, as avgBackward adds
// them.

// avgSameShape says whether op pools this way.
func avgSameShape(op *poolOp) bool {
	return op.avg && op.sh == 1 && op.sw == 1 && op.outH == op.in[2] && op.outW == op.in[3]
}

// avgTapOffsets are a window's taps in a padded plane, in row-major order,
// made once (before the workers start).
func avgTapOffsets(op *poolOp) []int {
	if len(op.taps) != op.kh*op.kw {
		pw := op.in[3] + op.kw - 1
		op.taps = make([]int, 0, op.kh*op.kw)
		for ky := range op.kh {
			for kx := range op.kw {
				op.taps = append(op.taps, ky*pw+kx)
			}
		}
	}
	return op.taps
}

// avgVectors pools every plane by avgVector and says so, where the values
// are float32 and op's shape is "same"; else it does nothing.
func avgVectors[T float32 | float64](op *poolOp, src, dst []T, backward bool) bool {
	s32, ok := any(&src).(*[]float32)
	if !ok || !avgSameShape(op) {
		return false
	}
	s, d, taps := *s32, *any(&dst).(*[]float32), avgTapOffsets(op)
	op.team.parallelFor(op.in[0]*op.in[1], 8, func(lo, hi int) { avgVector(op, taps, s, d, lo, hi, backward) })
	return true
}

// avgVector pools planes lo..hi of src into dst, a block of planes at a
// time: forward (src the input, dst the output), or backward (src the
// output's gradient, dst the input's, overwritten).
func avgVector(op *poolOp, taps []int, src, dst []float32, lo, hi int, backward bool) {
	h, w := op.in[2], op.in[3]
	top, left, div := op.ph, op.pw, float32(op.kh*op.kw)
	if backward {
		top, left, div = op.kh-1-op.ph, op.kw-1-op.pw, 1
	}
	area := float32(op.kh * op.kw)
	ph, pw := h+op.kh-1, w+op.kw-1
	size := ph * pw
	per := max(1, poolBlock/size)
	b := op.scratch.get()
	defer op.scratch.put(b)
	if n := min(per, hi-lo) * size; len(b.vm) < n {
		b.vm, b.rm = make([]float32, n), make([]float32, n)
	}
	for b0 := lo; b0 < hi; b0 += per {
		np := min(per, hi-b0)
		pad, sums := b.vm[:np*size], b.rm[:np*size]
		clear(pad)
		for r := 0; r < np*h; r++ { // each row into its padded place
			p, y := r/h, r%h
			row, into := src[(b0*h+r)*w:][:w], pad[p*size+(y+top)*pw+left:][:w]
			if backward {
				for x, v := range row {
					into[x] = v / area
				}
			} else {
				copy(into, row)
			}
		}
		vec.SumTaps(sums[:np*size-taps[len(taps)-1]], pad, taps, div)
		for r := 0; r < np*h; r++ {
			p, y := r/h, r%h
			copy(dst[(b0*h+r)*w:][:w], sums[p*size+y*pw:][:w])
		}
	}
}
