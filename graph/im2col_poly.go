package graph

import (
	"sync"

	"github.com/convnets/convnets/internal/vec"
)

// A convolution at stride 2 reads, for each tap, every other column of
// every other row. Split once into its four polyphase planes (even rows
// and even columns, even rows and odd columns, and so on), the image turns
// each tap into a stride-1 read of one plane, shifted: when the output
// rows are as wide as the planes' (the "same" padding of GoogLeNet's and
// Inception-BN's 7x7/2 stems and of their 3x3/2 reductions), a tap's rows
// are then one block copy, as in im2colSame, where im2colStrided gathered
// each row of each tap on its own.

// polyphase says whether im2colPoly serves g: stride 2 both ways,
// undilated, output rows as wide as the planes', a tap table that fits.
func (g convGeom) polyphase() bool {
	return g.sh == 2 && g.sw == 2 && g.dh == 1 && g.dw == 1 && g.ow == (g.w+1)/2 && g.kh*g.kw <= maxShiftTaps
}

// polyTaps works out, for each tap of a polyphase im2col, which plane it
// reads (plane[t]) and where (taps[t], as shiftTap does for a plane of
// hp x wp at stride 1), and returns the number of taps.
func (g convGeom) polyTaps(taps *[maxShiftTaps]shiftTap, plane *[maxShiftTaps]int) int {
	hp, wp := (g.h+1)/2, (g.w+1)/2
	for ky := 0; ky < g.kh; ky++ {
		for kx := 0; kx < g.kw; kx++ {
			// Input row 2*oy - ph + ky = 2*(oy + qy) + py, likewise columns.
			py, px := floorMod(ky-g.ph, 2), floorMod(kx-g.pw, 2)
			qy, qx := (ky-g.ph-py)/2, (kx-g.pw-px)/2
			lo, hi := min(g.ow, max(0, -qx)), max(0, min(g.ow, wp-qx))
			hi = max(lo, hi)
			oy0, oy1 := min(g.oh, max(0, -qy)), max(0, min(g.oh, hp-qy))
			oy1 = max(oy0, oy1)
			shift := qy*wp + qx
			a, b := max(oy0*g.ow, -shift), min(oy1*g.ow, hp*wp-shift)
			t := ky*g.kw + kx
			taps[t] = shiftTap{oy0: oy0, oy1: oy1, a: a, b: b, shift: shift, lo: lo, hi: hi, empty: hi <= lo}
			plane[t] = py*2 + px
		}
	}
	return g.kh * g.kw
}

// floorMod is a mod m in 0..m-1, for negative a too.
func floorMod(a, m int) int {
	return ((a % m) + m) % m
}

// im2colPoly is im2col for g.polyphase(): each channel is split into its
// four planes (zero past the image's last row or column), then every tap's
// rows are copied from its plane as one block, the columns and rows that
// fall outside the plane set to zero.
func im2colPoly[T float32 | float64](g convGeom, x, col []T, ld, off, c0, c1 int) {
	var taps [maxShiftTaps]shiftTap
	var which [maxShiftTaps]int
	nt := g.polyTaps(&taps, &which)
	hp, wp, hw, ohw := (g.h+1)/2, (g.w+1)/2, g.h*g.w, g.ohw()
	buf := polyScratch[T](4 * hp * wp)
	defer polyPool.Put(buf)
	planes := (*buf)[:4*hp*wp]
	r := c0 * nt
	for c := c0; c < c1; c++ {
		splitPolyphase(g, x[c*hw:(c+1)*hw], planes, hp, wp)
		for t := range taps[:nt] {
			tp := &taps[t]
			dst := col[r*ld+off : r*ld+off+ohw]
			r++
			gatherTap(tp, dst, planes[which[t]*hp*wp:(which[t]+1)*hp*wp], g.ow)
		}
	}
}

// splitPolyphase writes the four planes of an h x w image into planes
// (each hp x wp, in the order even rows even columns, even rows odd
// columns, odd rows even columns, odd rows odd columns), zero where the
// image has no such row or column.
func splitPolyphase[T float32 | float64](g convGeom, img, planes []T, hp, wp int) {
	size := hp * wp
	for py := 0; py < 2; py++ {
		for r := 0; r < hp; r++ {
			iy := 2*r + py
			for px := 0; px < 2; px++ {
				dst := planes[(py*2+px)*size+r*wp : (py*2+px)*size+(r+1)*wp]
				if iy >= g.h {
					zero(dst)
					continue
				}
				row := img[iy*g.w : (iy+1)*g.w]
				n := (g.w - px + 1) / 2 // columns px, px+2, ... inside the row
				if n >= minRun {
					vec.Even(dst[:n], row[px:])
				} else {
					for j := 0; j < n; j++ {
						dst[j] = row[px+2*j]
					}
				}
				for j := n; j < wp; j++ {
					dst[j] = 0
				}
			}
		}
	}
}

// polyPool keeps the planes' space between calls, so that im2colPoly
// allocates nothing in a training step (it runs on the team's goroutines,
// which have no scratch of their own).
var polyPool sync.Pool

// polyScratch returns space for n values from polyPool (Put it back).
func polyScratch[T float32 | float64](n int) *[]T {
	if p, ok := polyPool.Get().(*[]T); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]T, n)
	return &s
}
