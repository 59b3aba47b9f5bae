package graph

import (
	"github.com/convnets/convnets/internal/vec"
	"github.com/convnets/convnets/internal/winograd"
)

// Winograd's F(2x2, 5x5) on 6x6 tiles: 4 outputs from 36 products instead
// of 100. It interpolates at 0, ±1, 1/2, -2 and infinity, after Barabasz
// et al. ("Error analysis and improving the accuracy of Winograd
// convolution", 2020): against the usual 0, ±1, ±2 these points cut the
// float32 error about threefold. The matrices follow from Toom-Cook's
// construction: with V the evaluation matrices of the filter (rows
// 1, a, ..., a^4), the outputs (1, a) and the tile (1, ..., a^5), each
// with a last row for infinity, G = V_filter, Aᵀ = V_outᵀ and
// Bᵀ = V_tile⁻ᵀ, each row of Bᵀ scaled to small integers (exact in
// float32) and the same row of G divided by the same factor. The filter
// transform G g Gᵀ is a matrix product by G ⊗ G; Aᵀ holds 1/2 and 2,
// exact. internal/winograd's Input5 and Output5 apply Bᵀ and Aᵀ to six
// runs of values. TestWinogradMatchesDirect checks the result against
// im2col:
//
//	Bᵀ = [2 -3 -4  3  2 0]   G = [ 1/2    0     0     0     0  ]   Aᵀ = [1  1  1  1   1 0]
//	     [0 -2  1  5  2 0]       [ 1/6   1/6   1/6   1/6   1/6 ]        [0  1 -1 1/2 -2 1]
//	     [0 -2  5 -1 -2 0]       [ 1/6  -1/6   1/6  -1/6   1/6 ]
//	     [0  2  1 -2 -1 0]       [16/15  8/15  4/15  2/15  1/15]
//	     [0  1 -2 -1  2 0]       [ 1/30 -1/15  2/15 -4/15  8/15]
//	     [0  2 -3 -4  3 2]       [ 0     0     0     0    1/2  ]

// wino5G is G, 6 x 5.
var wino5G = [6][5]float64{
	{0.5},
	{1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6},
	{1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6},
	{16.0 / 15, 8.0 / 15, 4.0 / 15, 2.0 / 15, 1.0 / 15},
	{1.0 / 30, -1.0 / 15, 2.0 / 15, -4.0 / 15, 8.0 / 15},
	{0, 0, 0, 0, 0.5},
}

// wino3G is F(2x2, 3x3)'s G, 4 x 3 (as winoFilterTransform applies it).
var wino3G = [4][3]float64{{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}}

// winoGAt is element (i, a) of F(2x2, r x r)'s G.
func winoGAt(r, i, a int) float64 {
	if r == 5 {
		return wino5G[i][a]
	}
	return wino3G[i][a]
}

// winoKron returns G ⊗ G ((r+1)² x r²) of F(2x2, r x r) in T: the filter
// transform of an r x r filter laid out as r*r values, position
// (r+1) i + j of G g Gᵀ being row (r+1) i + j times the filter; with flip,
// its columns reversed (the filter turned 180 degrees). Its transpose
// takes (r+1)² sums back to a filter's r² (Gᵀ u G).
func winoKron[T float32 | float64](r int, flip bool) []T {
	n, rr := r+1, r*r
	k := make([]T, n*n*rr)
	for i := range n {
		for j := range n {
			for a := range r {
				for b := range r {
					col := r*a + b
					if flip {
						col = rr - 1 - col
					}
					k[(n*i+j)*rr+col] = T(winoGAt(r, i, a) * winoGAt(r, j, b))
				}
			}
		}
	}
	return k
}

// wino5FilterTransform writes G g Gᵀ of every 5x5 filter g into u, as
// winoFilterTransform does for F(2x2, 3x3): position xi of filter (o, c)
// at u[xi*ld + o*ci + c]. It is a matrix product, G ⊗ G (36 x 25) times
// the filters as columns of 25: one product whose columns are the
// filters in u's order for the forward pass, one per output channel o of
// the flipped filters (w then (ci, co, 5, 5), filter (o, c) at
// w[(c*co + o)*25]) for the input gradient.
func wino5FilterTransform[T float32 | float64](t *team, s *scratch[T], q winoGeom, w, u []T, ld int, flip bool, mul mulFunc[T]) {
	kron := s.winoKron(5, flip)
	if !flip {
		n := q.co * q.ci
		mul(t.size(), 36, n, 25, mat[T]{d: kron, ld: 25}, mat[T]{d: w[:n*25], ld: 25, t: true}, u, ld, false)
		return
	}
	for o := range q.co {
		b := mat[T]{d: w[o*25 : (q.ci-1)*q.co*25+o*25+25], ld: q.co * 25, t: true}
		mul(t.size(), 36, q.ci, 25, mat[T]{d: kron, ld: 25}, b, u[o*q.ci:], ld, false)
	}
}

// wino5Rows are the kernels of the input and output transforms for T:
// internal/winograd's (assembly where the CPU has it) in float32, plain
// loops in float64, with the same operations in the same order.
type wino5Rows[T float32 | float64] struct {
	in   func(n int, s0, s1, s2, s3, s4, s5, d []T, stride int)
	out  func(n int, m0, m1, m2, m3, m4, m5, y0, y1 []T)
	grad func(n int, z0, z1, d []T, stride int)
}

func newWino5Rows[T float32 | float64]() wino5Rows[T] {
	if in, ok := any(winograd.Input5).(func(int, []T, []T, []T, []T, []T, []T, []T, int)); ok {
		return wino5Rows[T]{in: in, out: any(winograd.Output5).(func(int, []T, []T, []T, []T, []T, []T, []T, []T)),
			grad: any(winograd.Grad5).(func(int, []T, []T, []T, int))}
	}
	return wino5Rows[T]{
		in: func(n int, s0, s1, s2, s3, s4, s5, d []T, stride int) {
			winograd.Input5Loop(0, n, s0, s1, s2, s3, s4, s5, d, stride)
		},
		out: func(n int, m0, m1, m2, m3, m4, m5, y0, y1 []T) {
			winograd.Output5Loop(0, n, m0, m1, m2, m3, m4, m5, y0, y1)
		},
		grad: func(n int, z0, z1, d []T, stride int) { winograd.Grad5Loop(0, n, z0, z1, d, stride) },
	}
}

// wino5InputTransform writes Bᵀ d B of the 6x6 tiles of plane in tile
// rows ty0..ty1 into v (position xi of the block's tile k at
// v[xi*ld + off + k]), a row of tiles at a time. buf holds 13 rows of
// 2*(tw+2) values: the six padded input rows, each with its even columns
// first and its odd ones after, their combinations by Bᵀ in the same
// layout, and one padded row in order; tile tx's six columns are then the even and odd values at tx,
// tx+1 and tx+2, runs that the same kernel combines by B.
func wino5InputTransform[T float32 | float64](q winoGeom, rows wino5Rows[T], plane []T, ty0, ty1 int, v []T, off, ld int, buf []T) {
	h2 := q.tw + 2 // even (odd) columns of a padded row
	wp := 2 * h2
	buf = buf[:13*wp]
	pad := buf[12*wp:] // one padded row, its columns in order
	lo, hi := min(q.p, wp), min(wp, q.w+q.p)
	clear(pad[:lo])
	clear(pad[hi:])
	for ty := ty0; ty < ty1; ty++ {
		y0 := 2*ty - q.p
		for r := range 6 {
			ev, od := buf[r*wp:r*wp+h2], buf[r*wp+h2:(r+1)*wp]
			y := y0 + r
			if y < 0 || y >= q.h {
				clear(ev)
				clear(od)
				continue
			}
			copy(pad[lo:hi], plane[y*q.w:(y+1)*q.w])
			deinterleave(pad, ev, od)
		}
		// Bᵀ d across the six rows, all columns at once.
		rows.in(wp, buf[:wp], buf[wp:2*wp], buf[2*wp:3*wp], buf[3*wp:4*wp], buf[4*wp:5*wp], buf[5*wp:6*wp], buf[6*wp:], wp)
		k := off + (ty-ty0)*q.tw
		for i := range 6 { // (Bᵀ d) B, the tiles of row i of Bᵀ d
			e := buf[(6+i)*wp : (7+i)*wp]
			ev, od := e[:h2], e[h2:]
			rows.in(q.tw, ev, od, ev[1:], od[1:], ev[2:], od[2:], v[6*i*ld+k:], ld)
		}
	}
}

// deinterleave writes the even values of row into ev and the odd ones
// into od (len(row) = 2 len(ev) = 2 len(od)), by vec.Even's vectors.
func deinterleave[T float32 | float64](row, ev, od []T) {
	row = row[:2*len(ev)]
	vec.Even(ev, row)
	vec.Even(od[:len(ev)], row[1:])
}

// wino5OutputTransform writes Aᵀ m A of the products of the tiles in tile
// rows ty0..ty1 into the 2x2 output blocks of plane (oh x ow), the last
// row and column cut off where oh or ow is odd; buf holds 14 runs of tw.
func wino5OutputTransform[T float32 | float64](q winoGeom, rows wino5Rows[T], m []T, off, ld, ty0, ty1 int, plane, buf []T) {
	tw := q.tw
	buf = buf[:14*tw]
	run := func(i int) []T { return buf[i*tw : (i+1)*tw] }
	for ty := ty0; ty < ty1; ty++ {
		k := off + (ty-ty0)*tw
		for j := range 6 { // Aᵀ M, column j of every tile: runs j and 6 + j
			p := func(i int) []T { return m[(6*i+j)*ld+k:] }
			rows.out(tw, p(0), p(1), p(2), p(3), p(4), p(5), run(j), run(6+j))
		}
		y0, y1 := run(12), run(13)
		for a := 0; a < 2 && 2*ty+a < q.oh; a++ { // (Aᵀ M) A, output row 2ty + a
			rows.out(tw, run(6*a), run(6*a+1), run(6*a+2), run(6*a+3), run(6*a+4), run(6*a+5), y0, y1)
			row := plane[(2*ty+a)*q.ow : (2*ty+a+1)*q.ow]
			for tx, v := range y0 {
				row[2*tx] = v
				if 2*tx+1 < len(row) {
					row[2*tx+1] = y1[tx]
				}
			}
		}
	}
}
