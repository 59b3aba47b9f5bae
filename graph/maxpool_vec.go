package graph

import (
	"sync"

	"github.com/convnets/convnets/internal/vec"
)

// Max pooling of float32 planes by vector kernels. At stride 1 with "same"
// padding (Inception's pool branches: 3x3, padding 1, outputs as large as
// the inputs), poolSame works over whole planes. The row pass takes, at every position of a
// run of planes, the first largest of the taps to its right as though its
// window lay inside its row (vec.MaxTaps), and the column pass does the
// same down the rows' results; the positions whose windows reach past
// their row (the edge columns) or plane (the edge rows) are then redone
// one by one. At column stride 1 or 2 otherwise (the stems' and stages'
// 3x3/2 pools, LeNet's and VGG's 2x2/2), poolStrided takes the windows'
// maxima at every column the same way, then keeps every sw-th of each row,
// and does the column pass a row of outputs at a time. Ties keep the first
// tap in row-major window order, as poolSeparable and poolWindows do, and
// the value kept is the winning input's own.

// poolSameShape says whether op pools float32 planes this way.
func poolSameShape(op *poolOp) bool {
	return op.sh == 1 && op.sw == 1 && op.outH == op.in[2] && op.outW == op.in[3] && !op.avg
}

// poolStridedShape says whether op pools float32 planes by poolStrided.
func poolStridedShape(op *poolOp) bool {
	return (op.sw == 1 || op.sw == 2) && !op.avg && !poolSameShape(op)
}

// poolBlock is the most input values a vector pass works on at once: runs
// of planes are cut into blocks of whole planes this large or smaller, whose
// row passes' results (8 bytes a value) stay in the core's cache.
const poolBlock = 1 << 14

// poolBufs are the row passes' results for one block: one value and index
// per input (poolSame's row pass, poolStrided's maxima at every column), and
// for poolStrided one per input row and output column.
type poolBufs struct {
	vm, rm []float32
	va, ra []int32
}

// poolScratch lends poolBufs to the workers pooling at the same time: at
// most one each, made at the first steps and reused after.
type poolScratch struct {
	mu   sync.Mutex
	free []*poolBufs
}

func (s *poolScratch) get() *poolBufs {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.free); n > 0 {
		b := s.free[n-1]
		s.free = s.free[:n-1]
		return b
	}
	return &poolBufs{}
}

func (s *poolScratch) put(b *poolBufs) {
	s.mu.Lock()
	s.free = append(s.free, b)
	s.mu.Unlock()
}

// poolVector pools planes lo..hi of in (no NaN in them, every window
// holding a pixel) by poolSame or poolStrided, a block of planes at a time.
func poolVector(op *poolOp, in, out []float32, lo, hi int) {
	h, w := op.in[2], op.in[3]
	per := max(1, poolBlock/(h*w))
	b := op.scratch.get()
	defer op.scratch.put(b)
	if n := min(per, hi-lo) * h * w; len(b.vm) < n {
		b.vm, b.va = make([]float32, n), make([]int32, n)
	}
	if n := min(per, hi-lo) * h * op.outW; len(b.rm) < n {
		b.rm, b.ra = make([]float32, n), make([]int32, n)
	}
	for b0 := lo; b0 < hi; b0 += per {
		if poolSameShape(op) {
			poolSame(op, b, in, out, b0, min(hi, b0+per))
		} else {
			poolStrided(op, b, in, out, b0, min(hi, b0+per))
		}
	}
}

// poolSame pools planes lo..hi of in (no NaN in them) into out and the
// argmax mask, the row pass into b.
func poolSame(op *poolOp, b *poolBufs, in, out []float32, lo, hi int) {
	h, w := op.in[2], op.in[3]
	base, n := lo*h*w, (hi-lo)*h*w
	src, o, mask := in[base:base+n], out[base:base+n], op.mask[base:base+n]
	rm, ra := b.vm[:n], b.va[:n]
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

// poolStrided pools planes lo..hi of in (no NaN in them, every window
// holding a pixel, column stride 1 or 2) into out and the argmax mask, the
// row pass into b.
func poolStrided(op *poolOp, b *poolBufs, in, out []float32, lo, hi int) {
	h, w, oh, ow := op.in[2], op.in[3], op.outH, op.outW
	base, n := lo*h*w, (hi-lo)*h*w
	src, wm, wa := in[base:base+n], b.vm[:n], b.va[:n]
	if m := n - op.kw + 1; m > 0 { // the window starting at every column
		vec.MaxTaps(wm[:m], wa[:m], src, nil, op.kw, 1, int32(base))
	}
	oxLo, oxHi := interior(w, op.kw, op.sw, op.pw, ow)
	rm, ra := b.rm[:(hi-lo)*h*ow], b.ra[:(hi-lo)*h*ow]
	for r := 0; r < (hi-lo)*h; r++ {
		row, dm, da := src[r*w:(r+1)*w], rm[r*ow:(r+1)*ow], ra[r*ow:(r+1)*ow]
		if x0 := r*w + op.sw*oxLo - op.pw; oxLo < oxHi && op.sw == 1 {
			copy(dm[oxLo:oxHi], wm[x0:])
			copy(da[oxLo:oxHi], wa[x0:])
		} else if oxLo < oxHi {
			vec.Even(dm[oxLo:oxHi], wm[x0:])
			vec.Even(da[oxLo:oxHi], wa[x0:])
		}
		for ox := 0; ox < ow; ox++ { // the windows that reach past the row
			if ox == oxLo && oxHi > oxLo {
				if ox = oxHi; ox == ow {
					break
				}
			}
			a, b := max(0, op.sw*ox-op.pw), min(w, op.sw*ox-op.pw+op.kw)
			best, arg := row[a], a
			for x := a + 1; x < b; x++ {
				if row[x] > best {
					best, arg = row[x], x
				}
			}
			dm[ox], da[ox] = best, int32(base+r*w+arg)
		}
	}
	oyLo, oyHi := interior(h, op.kh, op.sh, op.ph, oh)
	for p := 0; p < hi-lo; p++ {
		pm, pa := rm[p*h*ow:(p+1)*h*ow], ra[p*h*ow:(p+1)*h*ow]
		o, mask := out[(lo+p)*oh*ow:(lo+p+1)*oh*ow], op.mask[(lo+p)*oh*ow:(lo+p+1)*oh*ow]
		for oy := 0; oy < oh; oy++ {
			y0 := op.sh*oy - op.ph
			dst, idx := o[oy*ow:(oy+1)*ow], mask[oy*ow:(oy+1)*ow]
			if oy >= oyLo && oy < oyHi {
				vec.MaxTaps(dst, idx, pm[y0*ow:], pa[y0*ow:], op.kh, ow, 0)
				continue
			}
			a, b := max(0, y0), min(h, y0+op.kh)
			for ox := range dst {
				best, arg := pm[a*ow+ox], pa[a*ow+ox]
				for y := a + 1; y < b; y++ {
					if v := pm[y*ow+ox]; v > best {
						best, arg = v, pa[y*ow+ox]
					}
				}
				dst[ox], idx[ox] = best, arg
			}
		}
	}
}

// interior is the outputs [lo, hi) of n whose windows (k wide, at stride s
// after padding p) lie wholly inside a line of size values.
func interior(size, k, s, p, n int) (lo, hi int) {
	lo = min(n, ceilDiv(p, s))
	if last := size - k + p; last >= 0 {
		hi = min(n, last/s+1)
	}
	return lo, max(lo, hi)
}
