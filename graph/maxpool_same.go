package graph

import "github.com/convnets/convnets/internal/vec"

// Max pooling at stride 1 with "same" padding (Inception's pool branches:
// 3x3, padding 1, outputs as large as the inputs) in float32, by vector
// kernels over whole planes. The row pass takes, at every position of a
// run of planes, the first largest of the taps to its right as though its
// window lay inside its row (vec.MaxTaps), and the column pass does the
// same down the rows' results; the positions whose windows reach past
// their row (the edge columns) or plane (the edge rows) are then redone
// one by one. Ties keep the first tap in row-major window order, as
// poolSeparable and poolWindows do, and the value kept is the winning
// input's own.

// poolSameShape says whether op pools float32 planes this way.
func poolSameShape(op *poolOp) bool {
	return op.sh == 1 && op.sw == 1 && op.outH == op.in[2] && op.outW == op.in[3] && !op.avg
}

// ensureSame allocates the row pass's values and indices for every plane,
// once; each run of planes uses its own part.
func (op *poolOp) ensureSame() {
	if n := op.in[0] * op.in[1] * op.in[2] * op.in[3]; len(op.sameMax) != n {
		op.sameMax, op.sameArg = make([]float32, n), make([]int32, n)
	}
}

// poolSame pools planes lo..hi of in (no NaN in them) into out and the
// argmax mask.
func poolSame(op *poolOp, in, out []float32, lo, hi int) {
	h, w := op.in[2], op.in[3]
	base, n := lo*h*w, (hi-lo)*h*w
	src, o, mask := in[base:base+n], out[base:base+n], op.mask[base:base+n]
	rm, ra := op.sameMax[base:base+n], op.sameArg[base:base+n]
	left, right := op.pw, op.kw-1-op.pw
	if left < n-right {
		vec.MaxTaps(rm[left:n-right], ra[left:n-right], src, nil, op.kw, 1, int32(base))
	}
	for r := 0; r < (hi-lo)*h; r++ { // each row's edge columns
		row := src[r*w : (r+1)*w]
		for ox := 0; ox < w; ox++ {
			if ox == left && w-right > left {
				if ox = w - right; ox == w { // past the columns done above
					break
				}
			}
			a, b := max(0, ox-op.pw), min(w, ox-op.pw+op.kw)
			best, arg := row[a], a
			for x := a + 1; x < b; x++ {
				if row[x] > best {
					best, arg = row[x], x
				}
			}
			rm[r*w+ox], ra[r*w+ox] = best, int32(base+r*w+arg)
		}
	}
	top, bottom := op.ph, op.kh-1-op.ph
	if top*w < n-bottom*w {
		vec.MaxTaps(o[top*w:n-bottom*w], mask[top*w:n-bottom*w], rm, ra, op.kh, w, 0)
	}
	for p := 0; p < hi-lo; p++ { // each plane's edge rows
		for oy := 0; oy < h; oy++ {
			if oy == top && h-bottom > top {
				if oy = h - bottom; oy == h {
					break
				}
			}
			a, b := max(0, oy-op.ph), min(h, oy-op.ph+op.kh)
			at := (p*h + oy) * w
			for ox := 0; ox < w; ox++ {
				first := (p*h+a)*w + ox
				best, arg := rm[first], ra[first]
				for y := a + 1; y < b; y++ {
					if v := rm[(p*h+y)*w+ox]; v > best {
						best, arg = v, ra[(p*h+y)*w+ox]
					}
				}
				o[at+ox], mask[at+ox] = best, arg
			}
		}
	}
}
