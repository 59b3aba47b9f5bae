package graph

import "github.com/convnets/convnets/internal/winograd"

// The transforms of F(2x2, 3x3): filters (G g Gᵀ), input tiles (Bᵀ d B)
// and products (Aᵀ m A), each written as 16 positions a value each.

// winoFilterTransform writes G g Gᵀ of every filter g into u: position xi
// of filter (o, c) at u[xi*ld + o*ci + c]. w holds (co, ci, 3, 3)
// filters, or with flip (ci, co, 3, 3) ones to be used turned 180 degrees
// with the channels swapped (the input-gradient pass).
func winoFilterTransform[T float32 | float64](t *team, q winoGeom, w, u []T, ld int, flip bool) {
	t.parallelFor(q.co, 1, func(lo, hi int) {
		var f [9]T
		for o := lo; o < hi; o++ {
			for c := 0; c < q.ci; c++ {
				if flip {
					src := w[(c*q.co+o)*9 : (c*q.co+o+1)*9]
					for k := range f {
						f[k] = src[8-k]
					}
				} else {
					copy(f[:], w[(o*q.ci+c)*9:(o*q.ci+c+1)*9])
				}
				// Rows: G g (4 x 3), then columns: (G g) Gᵀ (4 x 4).
				var r [12]T
				for k := 0; k < 3; k++ {
					g0, g1, g2 := f[k], f[3+k], f[6+k]
					r[k], r[3+k], r[6+k], r[9+k] = g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2
				}
				for i := 0; i < 4; i++ {
					g0, g1, g2 := r[3*i], r[3*i+1], r[3*i+2]
					base := o*q.ci + c
					u[(4*i+0)*ld+base] = g0
					u[(4*i+1)*ld+base] = (g0 + g1 + g2) / 2
					u[(4*i+2)*ld+base] = (g0 - g1 + g2) / 2
					u[(4*i+3)*ld+base] = g2
				}
			}
		}
	})
}

// winoInputTransform writes Bᵀ d B of the 4x4 tiles d of plane (h x w,
// zero outside) in tile rows ty0..ty1 into v: position xi of the block's
// tile k at v[xi*ld + off + k]. It works a row of tiles at a time on whole
// rows (buf holds 9 rows of 2*tw+2): the four input rows, padded, are
// combined by Bᵀ once for all the row's tiles; each row of the result is
// split into its even and odd columns, and tile tx's four columns are then
// the even and odd values at tx and tx+1, runs that the same kernel
// (Input3) combines by B into four positions of tw values each.
func winoInputTransform[T float32 | float64](q winoGeom, rows winoRows[T], plane []T, ty0, ty1 int, v []T, off, ld int, buf []T) {
	wp := 2*q.tw + 2
	buf = buf[:9*wp]
	for ty := ty0; ty < ty1; ty++ {
		y0 := 2*ty - q.p
		for r := 0; r < 4; r++ {
			row := buf[r*wp : (r+1)*wp]
			y := y0 + r
			if y < 0 || y >= q.h {
				clear(row)
				continue
			}
			// Columns -p .. 2*tw-p+1 of the plane's row y, zero outside.
			src := plane[y*q.w : (y+1)*q.w]
			lo, hi := min(q.p, wp), min(wp, q.w+q.p)
			clear(row[:lo])
			copy(row[lo:hi], src)
			clear(row[hi:])
		}
		e := buf[4*wp : 8*wp]
		winoInputRun(3, wp, buf[:4*wp], wp, e, wp) // Bᵀ d across the four rows, all columns at once
		k := off + (ty-ty0)*q.tw
		h := q.tw + 1
		ev, od := buf[8*wp:8*wp+h], buf[8*wp+h:9*wp]
		for i := range 4 { // (Bᵀ d) B: tile tx's columns are ev[tx], od[tx], ev[tx+1], od[tx+1] of row i
			deinterleave(e[i*wp:(i+1)*wp], ev, od)
			rows.in(q.tw, ev, od, ev[1:], od[1:], v[4*i*ld+k:], ld)
		}
	}
}

// winoOutputTransform writes Aᵀ m A of the products of the tiles in tile
// rows ty0..ty1 (position xi of the block's tile k at m[xi*ld + off + k])
// into the 2x2 output blocks of plane
// (oh x ow), the last row and column cut off where oh or ow is odd; a row
// of tiles at a time, as winoInputTransform (buf holds 8 runs of tw).
func winoOutputTransform[T float32 | float64](q winoGeom, rows winoRows[T], m []T, off, ld, ty0, ty1 int, plane, buf []T) {
	buf = buf[:8*q.tw]
	for ty := ty0; ty < ty1; ty++ {
		k := off + (ty-ty0)*q.tw
		// Aᵀ m: row 0 = m0j + m1j + m2j, row 1 = m1j - m2j - m3j.
		for j := 0; j < 4; j++ {
			m0, m1 := m[j*ld+k:j*ld+k+q.tw], m[(4+j)*ld+k:(4+j)*ld+k+q.tw]
			m2, m3 := m[(8+j)*ld+k:(8+j)*ld+k+q.tw], m[(12+j)*ld+k:(12+j)*ld+k+q.tw]
			s0, s1 := buf[j*q.tw:(j+1)*q.tw], buf[(4+j)*q.tw:(5+j)*q.tw]
			rows.cols(m0, m1, m2, m3, s0, s1)
		}
		// (Aᵀ m) A: column 0 = r0 + r1 + r2, column 1 = r1 - r2 - r3.
		for i := 0; i < 2 && 2*ty+i < q.oh; i++ {
			r := buf[4*i*q.tw : (4*i+4)*q.tw]
			c0, c1, c2, c3 := r[:q.tw], r[q.tw:2*q.tw], r[2*q.tw:3*q.tw], r[3*q.tw:4*q.tw]
			row := plane[(2*ty+i)*q.ow : (2*ty+i+1)*q.ow]
			rows.row(q.ow, c0, c1, c2, c3, row)
		}
	}
}

// winoRows are the row kernels of the transforms for T: internal/winograd's
// (assembly where the CPU has it) in float32, plain loops in float64. Both
// compute every value with the same operations in the same order.
type winoRows[T float32 | float64] struct {
	in   func(n int, s0, s1, s2, s3, d []T, stride int)
	cols func(m0, m1, m2, m3, s0, s1 []T)
	row  func(ow int, c0, c1, c2, c3, row []T)
}

func newWinoRows[T float32 | float64]() winoRows[T] {
	if in, ok := any(winograd.Input3).(func(int, []T, []T, []T, []T, []T, int)); ok {
		return winoRows[T]{
			in:   in,
			cols: any(winograd.OutputCols).(func([]T, []T, []T, []T, []T, []T)),
			row:  any(winograd.OutputRow).(func(int, []T, []T, []T, []T, []T)),
		}
	}
	return winoRows[T]{ // the same loops as the float32 kernels' Go twins
		in:   func(n int, s0, s1, s2, s3, d []T, stride int) { winograd.Input3Loop(0, n, s0, s1, s2, s3, d, stride) },
		cols: func(m0, m1, m2, m3, s0, s1 []T) { winograd.OutputColsLoop(0, len(s0), m0, m1, m2, m3, s0, s1) },
		row:  func(ow int, c0, c1, c2, c3, row []T) { winograd.OutputRowLoop(0, ow, c0, c1, c2, c3, row) },
	}
}
