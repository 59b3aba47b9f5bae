package graph

import (
	"github.com/convnets/convnets/internal/gemm"
	"github.com/convnets/convnets/internal/winograd"
	"github.com/convnets/convnets/internal/workers"
)

// Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015) for the forward and
// input-gradient passes of dense 3x3 convolutions at stride 1: each 2x2
// block of outputs takes 16 multiplications per channel pair instead of
// 36. The input is cut into overlapping 4x4 tiles, each transformed as
// Bᵀ d B; the filters as G g Gᵀ; then each of the 16 positions of a tile
// is one matrix product over the channels (outputs x inputs times inputs
// x tiles), and each output block is Aᵀ m A. The transforms' coefficients
// are 0, ±1 and ±1/2, so in float64 the result equals the direct sum to
// rounding; in float32 its error is a few units in the last place more
// than im2col's (TestWinogradMatchesDirect bounds both).

// winoTiles is the 4x4 input tiles' geometry of a 3x3 stride-1 convolution
// from ci channels of h x w, padded by p on each side, to co channels.
type winoGeom struct {
	ci, co, h, w, p, oh, ow, th, tw int
}

func newWinoGeom(ci, co, h, w, p int) winoGeom {
	oh, ow := h+2*p-2, w+2*p-2
	return winoGeom{ci: ci, co: co, h: h, w: w, p: p, oh: oh, ow: ow, th: (oh + 1) / 2, tw: (ow + 1) / 2}
}

func (q winoGeom) tiles() int { return q.th * q.tw }

// blocking is how the tiles are cut into blocks for the 16 products: per
// images a block when whole images fit, else bands of rows rows of tiles
// of one image; minTiles tiles a block at least. A block's transformed inputs and products (16 x (ci+co)
// values a tile) stay within winoBlockValues, so that the transforms write
// and read them in cache rather than memory.
func (q winoGeom) blocking(b, minTiles int) (per, rows int) {
	perTile := 16 * (q.ci + q.co)
	fit := max(q.tw, minTiles, winoBlockValues/perTile) // tiles a block may hold
	if t := q.tiles(); t <= fit {
		return max(1, min(b, fit/t)), q.th
	}
	return 1, max(1, fit/q.tw)
}

// winoBlockValues bounds a block's transformed inputs and products, unless
// that leaves fewer than winoMinTiles tiles: the products read all of the
// transformed filters for each block, and on wide layers a few columns
// would not pay for reading them.
const (
	winoBlockValues = 1 << 18
	winoMinTiles    = 64
)

// winograd says whether pass of g runs as F(2x2, 3x3): the forward,
// input-gradient and weight-gradient passes of a dense 3x3 convolution at stride 1 with equal
// padding of at most 2, where it pays. It saves 9*OH*OW - 16*tiles
// multiply-adds per image and channel pair and costs a transform of every
// filter (scalar, about as much as winoMinSaved of those) and of every
// input and output tile: measured on this project's machines
// (BenchmarkWinograd), it wins on layers of 64 channels or more both ways
// with maps 14 wide or more (28 for the weight gradient) and a batch that
// saves winoMinSaved or more, and loses on narrow layers and small maps.
func (g convGeom) winograd(pass int) bool {
	if pass == convGradBias {
		return false
	}
	if g.kh != 3 || g.kw != 3 || g.sh != 1 || g.sw != 1 || g.dh != 1 || g.dw != 1 || g.ph != g.pw || g.ph > 2 {
		return false
	}
	tiles := (g.oh + 1) / 2 * ((g.ow + 1) / 2)
	saved := g.b * (9*g.oh*g.ow - 16*tiles)
	minWidth := winoMinWidth
	if pass == convGradFilter {
		minWidth = winoFilterMinWidth
	}
	return g.c >= winoMinChannels && g.o >= winoMinChannels && g.ow >= minWidth && g.w >= minWidth && saved >= winoMinSaved
}

// The bounds of winograd's choice.
const (
	winoMinChannels    = 64
	winoMinWidth       = 14
	winoFilterMinWidth = 28 // the weight gradient's products transpose a factor: they pay on large maps only
	winoMinSaved       = 4096
)

// winogradPass runs the forward (in0 = x, in1 = w), input-gradient
// (in0 = w, in1 = dy) or weight-gradient (in0 = x, in1 = dy; see
// winogradFilterGrad) pass of g as F(2x2, 3x3). The input gradient is the
// forward convolution of dy by the filters turned 180 degrees with input
// and output channels swapped, padded by 2 - p.
func winogradPass[T float32 | float64](t *team, pass int, g convGeom, s *scratch[T], in0, in1, out []T, mul mulFunc[T]) {
	if pass == convGradFilter {
		winogradFilterGrad(t, g, s, in0, in1, out, mul)
		return
	}
	var q winoGeom
	var x, w []T
	if pass == convForward {
		q, x, w = newWinoGeom(g.c, g.o, g.h, g.w, g.ph), in0, in1
	} else {
		q, x, w = newWinoGeom(g.o, g.c, g.oh, g.ow, 2-g.ph), in1, in0
	}
	ldu := winoStride(q.co * q.ci)
	u := s.winoFilters(16 * ldu)
	winoFilterTransform(t, q, w, u, ldu, pass == convGradData)
	var us [16]mat[T]
	for xi := range us {
		us[xi] = mat[T]{d: u[xi*ldu : xi*ldu+q.co*q.ci], ld: q.ci}
		if d, ok := any(us[xi].d).([]float32); ok { // packed once for all the blocks' products
			s.winoPacked[xi].Pack(t.size(), q.co, q.ci, gemm.Matrix{Data: d, Stride: q.ci})
			us[xi].p = &s.winoPacked[xi]
		}
	}
	k := newWinoBlocks(q, g.b, winoMinTiles)
	// Blocks are independent: each worker takes a contiguous share of
	// them with scratch space of its own and multiplies alone (the product
	// gives the same bits on any number of workers).
	nw := min(t.size(), k.count())
	if nw <= 1 {
		winoRun(q, s, k, 0, k.count(), &us, x, out, mul, t.size())
		return
	}
	parts := s.parts(nw)
	workers.Run(nw, func(i int) {
		winoRun(q, parts[i], k, k.count()*i/nw, k.count()*(i+1)/nw, &us, x, out, mul, 1)
	})
}

// winoBlocks cuts b images of q's tiles into blocks (see
// winoGeom.blocking): groups of per images, each in bands of rows rows of
// tiles.
type winoBlocks struct{ b, per, rows, bands int }

func newWinoBlocks(q winoGeom, b, minTiles int) winoBlocks {
	per, rows := q.blocking(b, minTiles)
	return winoBlocks{b: b, per: per, rows: rows, bands: (q.th + rows - 1) / rows}
}

func (k winoBlocks) count() int { return (k.b + k.per - 1) / k.per * k.bands }

// block i is tile rows ty0..ty1 of images b0..b0+nb.
func (k winoBlocks) block(q winoGeom, i int) (b0, nb, ty0, ty1 int) {
	b0, ty0 = i/k.bands*k.per, i%k.bands*k.rows
	return b0, min(k.per, k.b-b0), ty0, min(q.th, ty0+k.rows)
}

// winoRun runs blocks lo..hi of k one after the other with s's buffers:
// transform the inputs x, 16 products with the transformed filters us
// (each with workers), transform the products into out.
func winoRun[T float32 | float64](q winoGeom, s *scratch[T], k winoBlocks, lo, hi int, us *[16]mat[T], x, out []T, mul mulFunc[T], workers int) {
	most := k.per * k.rows * q.tw
	ldv, ldm := winoStride(q.ci*most), winoStride(q.co*most)
	v, m := s.buffers(16*ldv, 16*ldm)
	in, res := s.winoRows(8*(2*q.tw+2), 8*q.tw)
	inHW, outHW := q.h*q.w, q.oh*q.ow
	rows := newWinoRows[T]()
	for i := lo; i < hi; i++ {
		b0, nb, ty0, ty1 := k.block(q, i)
		tpi := (ty1 - ty0) * q.tw // tiles of each image in the block
		n := nb * tpi
		for j := 0; j < nb; j++ {
			for c := 0; c < q.ci; c++ {
				plane := x[((b0+j)*q.ci+c)*inHW : ((b0+j)*q.ci+c+1)*inHW]
				winoInputTransform(q, rows, plane, ty0, ty1, v, c*n+j*tpi, ldv, in)
			}
		}
		for xi := 0; xi < 16; xi++ {
			mul(workers, q.co, n, q.ci, us[xi], mat[T]{d: v[xi*ldv : xi*ldv+q.ci*n], ld: n}, m[xi*ldm:xi*ldm+q.co*n], n, false)
		}
		for j := 0; j < nb; j++ {
			for o := 0; o < q.co; o++ {
				plane := out[((b0+j)*q.co+o)*outHW : ((b0+j)*q.co+o+1)*outHW]
				winoOutputTransform(q, rows, m, o*n+j*tpi, ldm, ty0, ty1, plane, res)
			}
		}
	}
}

// winoStride is the distance between the 16 positions' blocks of n values
// in the transformed inputs and products: n rounded up to an odd multiple
// of 16 values. At a multiple of 4 KB (GoogLeNet's 192 channels of 8 images
// of 14x14 tiles) the 16 blocks a tile is written to or read from would
// fall in the same cache sets and alias in the store buffer; this spreads
// them over 16 distinct sets.
func winoStride(n int) int {
	n = (n + 15) / 16 * 16
	if n/16%2 == 0 {
		n += 16
	}
	return n
}

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
// tile k at v[xi*ld + off + k]. It
// works a row of tiles at a time on whole rows (buf holds 8 rows of
// 2*tw+2): the four input rows, padded, are combined by Bᵀ once for all
// the row's tiles, then each of the 16 positions is one run of tw values,
// stored in order.
func winoInputTransform[T float32 | float64](q winoGeom, rows winoRows[T], plane []T, ty0, ty1 int, v []T, off, ld int, buf []T) {
	wp := 2*q.tw + 2
	buf = buf[:8*wp]
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
		r0, r1, r2, r3 := buf[:wp], buf[wp:2*wp], buf[2*wp:3*wp], buf[3*wp:4*wp]
		e := buf[4*wp : 8*wp]
		e0, e1, e2, e3 := e[:wp], e[wp:2*wp], e[2*wp:3*wp], e[3*wp:4*wp]
		for x := 0; x < wp; x++ {
			a0, a1, a2, a3 := r0[x], r1[x], r2[x], r3[x]
			e0[x], e1[x], e2[x], e3[x] = a0-a2, a1+a2, a2-a1, a1-a3
		}
		k := off + (ty-ty0)*q.tw
		for i, ei := range [4][]T{e0, e1, e2, e3} {
			d0 := v[(4*i)*ld+k : (4*i)*ld+k+q.tw]
			d1 := v[(4*i+1)*ld+k : (4*i+1)*ld+k+q.tw]
			d2 := v[(4*i+2)*ld+k : (4*i+2)*ld+k+q.tw]
			d3 := v[(4*i+3)*ld+k : (4*i+3)*ld+k+q.tw]
			rows.in(q.tw, ei, d0, d1, d2, d3)
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
	in   func(tw int, e, d0, d1, d2, d3 []T)
	cols func(m0, m1, m2, m3, s0, s1 []T)
	row  func(ow int, c0, c1, c2, c3, row []T)
}

func newWinoRows[T float32 | float64]() winoRows[T] {
	if in, ok := any(winograd.InputRow).(func(int, []T, []T, []T, []T, []T)); ok {
		return winoRows[T]{
			in:   in,
			cols: any(winograd.OutputCols).(func([]T, []T, []T, []T, []T, []T)),
			row:  any(winograd.OutputRow).(func(int, []T, []T, []T, []T, []T)),
		}
	}
	return winoRows[T]{in: winoInputRow[T], cols: winoOutputCols[T], row: winoOutputRow[T]}
}

// winoInputRow is winograd.InputRow for any T.
func winoInputRow[T float32 | float64](tw int, e, d0, d1, d2, d3 []T) {
	for tx := 0; tx < tw; tx++ {
		c := e[2*tx : 2*tx+4]
		d0[tx], d1[tx], d2[tx], d3[tx] = c[0]-c[2], c[1]+c[2], c[2]-c[1], c[1]-c[3]
	}
}

// winoOutputCols is winograd.OutputCols for any T.
func winoOutputCols[T float32 | float64](m0, m1, m2, m3, s0, s1 []T) {
	for i := range s0 {
		a1, a2 := m1[i], m2[i]
		s0[i], s1[i] = m0[i]+a1+a2, a1-a2-m3[i]
	}
}

// winoOutputRow is winograd.OutputRow for any T.
func winoOutputRow[T float32 | float64](ow int, c0, c1, c2, c3, row []T) {
	for tx := 0; 2*tx < ow; tx++ {
		a1, a2 := c1[tx], c2[tx]
		row[2*tx] = c0[tx] + a1 + a2
		if 2*tx+1 < ow {
			row[2*tx+1] = a1 - a2 - c3[tx]
		}
	}
}
