package graph

import "github.com/convnets/convnets/internal/vec"

// The columns of a convolution: im2col gathers each window of an image into
// a column of the matrix product, col2im adds the columns back into an
// image (its adjoint), both for float32 and float64, with the shortcuts
// that keep small maps and strided layers cheap.

// im2col writes the windows of image x's channels c0..c1 into columns
// off..off+OH*OW of col (CKK rows, row stride ld): row (c, ky, kx), column
// (oy, ox) holds x[c, oy*sh-ph+ky*dh, ox*sw-pw+kx*dw], zero outside the
// image.
func im2col[T float32 | float64](g convGeom, x, col []T, ld, off, c0, c1 int) {
	if g.sw == 1 && g.sh == 1 && g.ow == g.w && g.kh*g.kw <= maxShiftTaps {
		im2colSame(g, x, col, ld, off, c0, c1)
		return
	}
	if g.polyphase() {
		im2colPoly(g, x, col, ld, off, c0, c1)
		return
	}
	r := c0 * g.kh * g.kw
	for c := c0; c < c1; c++ {
		plane := x[c*g.h*g.w : (c+1)*g.h*g.w]
		for ky := 0; ky < g.kh; ky++ {
			for kx := 0; kx < g.kw; kx++ {
				dst := col[r*ld+off : r*ld+off+g.ohw()]
				r++
				if g.sw == 1 {
					im2colRows(g, plane, dst, ky*g.dh, kx*g.dw)
				} else {
					im2colStrided(g, plane, dst, ky*g.dh, kx*g.dw)
				}
			}
		}
	}
}

// inside is the run of output columns [lo, hi) whose input column
// ox*sw - pw + kx falls inside the image, for a tap at column offset kx.
func (g convGeom) inside(kx int) (lo, hi int) {
	ix0 := kx - g.pw
	if g.sw == 1 { // no divisions: the common case, once per tap and image
		lo = min(g.ow, max(0, -ix0))
		return lo, max(lo, min(g.ow, g.w-ix0))
	}
	lo = min(g.ow, max(0, ceilDiv(-ix0, g.sw)))
	hi = max(lo, min(g.ow, ceilDiv(g.w-ix0, g.sw)))
	return lo, hi
}

// im2colStrided is im2col's row at tap offset (ky, kx) at a column stride
// above 1: zeros left and right of the run of columns inside the image,
// the run read every sw-th input column without a test per element (at
// stride 2, vec.Even's vector shuffles where the run is long).
func im2colStrided[T float32 | float64](g convGeom, plane, dst []T, ky, kx int) {
	lo, hi := g.inside(kx)
	ix0 := kx - g.pw
	i := 0
	for oy := 0; oy < g.oh; oy++ {
		out := dst[i : i+g.ow]
		i += g.ow
		iy := oy*g.sh - g.ph + ky
		if iy < 0 || iy >= g.h || hi == lo {
			zero(out)
			continue
		}
		for j := 0; j < lo; j++ { // not clear: a call to memclr for a value or two
			out[j] = 0
		}
		row := plane[iy*g.w : (iy+1)*g.w]
		if g.sw == 2 && hi-lo >= minRun {
			vec.Even(out[lo:hi], row[lo*2+ix0:])
		} else {
			for ox := lo; ox < hi; ox++ {
				out[ox] = row[ox*g.sw+ix0]
			}
		}
		for j := hi; j < g.ow; j++ {
			out[j] = 0
		}
	}
}

// im2colRows is im2col's row at tap offset (ky, kx) (the tap's index times
// the dilation) of a plane at column stride 1: each
// output row is zeros left of the image, a run of the image's row, zeros
// right of it; the run's bounds depend on kx alone. Short rows (small maps)
// are moved element by element, cheaper there than copy's call.
func im2colRows[T float32 | float64](g convGeom, plane, dst []T, ky, kx int) {
	ix0 := kx - g.pw
	lo, hi := g.inside(kx)
	i := 0
	for oy := 0; oy < g.oh; oy++ {
		out := dst[i : i+g.ow]
		i += g.ow
		iy := oy*g.sh - g.ph + ky
		if iy < 0 || iy >= g.h || hi == lo { // a row, or a window column, wholly in the padding
			zero(out)
			continue
		}
		src := plane[iy*g.w+ix0+lo : iy*g.w+ix0+hi]
		if g.ow <= 16 {
			for j := 0; j < lo; j++ { // not range: the compiler would call memclr for a value or two
				out[j] = 0
			}
			for j, v := range src {
				out[lo+j] = v
			}
			for j := hi; j < g.ow; j++ {
				out[j] = 0
			}
			continue
		}
		zero(out[:lo])
		copy(out[lo:hi], src)
		zero(out[hi:])
	}
}

// maxShiftTaps bounds the kernels whose taps im2colSame works out once per
// call (7x7 at most), so that its table lives on the stack.
const maxShiftTaps = 49

// shiftTap is where one tap of a "same" stride-1 convolution reads: its
// output rows oy0..oy1 lie inside the image, the block dst[a:b] is the
// plane shifted by shift, and only the columns lo..hi of each of those rows
// are inside; empty when the tap's window column lies wholly in the
// padding (then its row is all zeros).
type shiftTap struct {
	oy0, oy1, a, b, shift, lo, hi int
	empty                         bool
}

// shiftTaps works out every tap's shiftTap into taps (at most
// maxShiftTaps of them, for a convolution at stride 1 whose output rows are
// as wide as the input's) and returns how many there are.
func (g convGeom) shiftTaps(taps *[maxShiftTaps]shiftTap) int {
	hw := g.h * g.w
	for ky := 0; ky < g.kh; ky++ {
		for kx := 0; kx < g.kw; kx++ {
			ty, tx := ky*g.dh, kx*g.dw
			lo, hi := g.inside(tx)
			oy0, oy1 := min(g.oh, max(0, g.ph-ty)), max(0, min(g.oh, g.h+g.ph-ty))
			oy1 = max(oy0, oy1)
			shift := (ty-g.ph)*g.w + tx - g.pw
			a, b := max(oy0*g.ow, -shift), min(oy1*g.ow, hw-shift)
			taps[ky*g.kw+kx] = shiftTap{oy0: oy0, oy1: oy1, a: a, b: b, shift: shift, lo: lo, hi: hi, empty: hi <= lo}
		}
	}
	return g.kh * g.kw
}

// gatherTap writes one tap's row of columns dst (rows of ow) from plane,
// which it reads shifted by tp.shift as one block: zeros for the rows and
// columns that tp puts outside the plane.
func gatherTap[T float32 | float64](tp *shiftTap, dst, plane []T, ow int) {
	if tp.empty {
		zero(dst)
		return
	}
	zero(dst[:tp.oy0*ow])
	zero(dst[tp.oy1*ow:])
	if tp.oy0 == tp.oy1 {
		return
	}
	copy(dst[tp.a:tp.b], plane[tp.a+tp.shift:tp.b+tp.shift])
	for oy := tp.oy0; oy < tp.oy1; oy++ {
		row := dst[oy*ow : (oy+1)*ow]
		for j := 0; j < tp.lo; j++ { // not range: the compiler would call memclr for a value or two
			row[j] = 0
		}
		for j := tp.hi; j < ow; j++ {
			row[j] = 0
		}
	}
}

// im2colSame is im2col for output rows as wide as the input's at stride 1
// ("same" padding across): the rows of a tap inside the image are then the
// plane itself shifted by (ky-ph)*w + kx-pw, moved as one block, after
// which the columns that wrapped round from the neighbouring row are set to
// zero. Every tap's geometry is worked out once for all the channels: on
// small maps (planes of 8x8 or 4x4) it cost as much as the copies.
func im2colSame[T float32 | float64](g convGeom, x, col []T, ld, off, c0, c1 int) {
	var taps [maxShiftTaps]shiftTap
	nt, hw, ohw := g.shiftTaps(&taps), g.h*g.w, g.ohw()
	r := c0 * nt
	for c := c0; c < c1; c++ {
		plane := x[c*hw : (c+1)*hw]
		for t := range taps[:nt] {
			tp := &taps[t]
			dst := col[r*ld+off : r*ld+off+ohw]
			r++
			gatherTap(tp, dst, plane, g.ow)
		}
	}
}

// zero sets a run to zeros: in a loop when it is short, where clear's call
// to memclr would cost more than the stores (a row or two of a small map).
func zero[T float32 | float64](run []T) {
	if len(run) >= 64 {
		clear(run)
		return
	}
	for i := 0; i < len(run); i++ { // not range: the compiler would call memclr
		run[i] = 0
	}
}

// minRun is the shortest run of values that goes through vec.Add or
// vec.Even: below it, the call costs more than the vector instructions
// save.
const minRun = 16

// shifts says whether a tap's rows of columns are the image itself,
// shifted, at undilated stride 1 with output rows as wide as the input's
// ("same" padding across), as col2imSame needs.
func (g convGeom) shifts() bool {
	return g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && g.ow == g.w
}

// col2imSame is col2im where g.shifts(): each tap's rows inside the
// image are added to the plane shifted by (ky-ph)*w + kx-pw as one run,
// after the columns that would wrap round into the neighbouring row (lo..hi
// are the ones inside) are set to zero in col (col2im's scratch). Adding
// those zeros leaves the sums' bits as they were: the plane's sums start at
// +0 and so are never -0. The taps' geometry is worked out once for all
// the channels.
func col2imSame[T float32 | float64](g convGeom, col []T, ld, off int, dx []T) {
	var taps [maxShiftTaps]shiftTap
	nt, hw, ohw := g.shiftTaps(&taps), g.h*g.w, g.ohw()
	r := 0
	for c := 0; c < g.c; c++ {
		plane := dx[c*hw : (c+1)*hw]
		for t := range taps[:nt] {
			tp := &taps[t]
			src := col[r*ld+off : r*ld+off+ohw]
			r++
			if tp.empty || tp.oy0 >= tp.oy1 {
				continue
			}
			for oy := tp.oy0; oy < tp.oy1; oy++ {
				row := src[oy*g.ow : (oy+1)*g.ow]
				for j := 0; j < tp.lo; j++ {
					row[j] = 0
				}
				for j := tp.hi; j < g.ow; j++ {
					row[j] = 0
				}
			}
			dst, s := plane[tp.a+tp.shift:tp.b+tp.shift], src[tp.a:tp.b]
			if len(dst) >= minRun {
				vec.Add(dst, s)
				continue
			}
			for j := range dst {
				dst[j] += s[j]
			}
		}
	}
}

// col2im adds columns off..off+OH*OW of col back into image dx, which
// holds zeros or earlier sums of col2im: the adjoint of im2col. Each input
// receives its window taps' values in the order of the taps.
func col2im[T float32 | float64](g convGeom, col []T, ld, off int, dx []T) {
	if g.shifts() && g.kh*g.kw <= maxShiftTaps {
		col2imSame(g, col, ld, off, dx)
		return
	}
	r := 0
	for c := 0; c < g.c; c++ {
		plane := dx[c*g.h*g.w : (c+1)*g.h*g.w]
		for ky := 0; ky < g.kh; ky++ {
			for kx := 0; kx < g.kw; kx++ {
				src := col[r*ld+off : r*ld+off+g.ohw()]
				r++
				// Only the columns that fall inside the image, added as one
				// run (every sw-th input column), none tested one by one.
				lo, hi := g.inside(kx * g.dw)
				ix0 := kx*g.dw - g.pw
				for oy := 0; oy < g.oh; oy++ {
					s := src[oy*g.ow : (oy+1)*g.ow]
					iy := oy*g.sh - g.ph + ky*g.dh
					if iy < 0 || iy >= g.h || hi == lo { // a row, or a window column, wholly in the padding
						continue
					}
					row := plane[iy*g.w : (iy+1)*g.w]
					if g.sw == 1 {
						dst, s := row[ix0+lo:ix0+hi], s[lo:hi]
						if len(dst) >= minRun {
							vec.Add(dst, s)
							continue
						}
						for j := range dst {
							dst[j] += s[j]
						}
						continue
					}
					for ox := lo; ox < hi; ox++ {
						row[ox*g.sw+ix0] += s[ox]
					}
				}
			}
		}
	}
}
