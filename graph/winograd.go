package graph

import (
	"github.com/convnets/convnets/internal/gemm"
	"github.com/convnets/convnets/internal/workers"
)

// Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015) for all three
// passes of dense 3x3 convolutions at stride 1: each 2x2
// block of outputs takes 16 multiplications per channel pair instead of
// 36. The input is cut into overlapping 4x4 tiles, each transformed as
// Bᵀ d B; the filters as G g Gᵀ; then each of the 16 positions of a tile
// is one matrix product over the channels (outputs x inputs times inputs
// x tiles), and each output block is Aᵀ m A. F(2x2, 3x3)'s transforms'
// coefficients are 0, ±1 and ±1/2, so in float64 the result equals the direct sum to
// rounding; in float32 its error is a few units in the last place more
// than im2col's (TestWinogradMatchesDirect bounds both). Dense 5x5
// convolutions take F(2x2, 5x5) the same way on 6x6 tiles, 36
// multiplications for 100 (winograd5.go). The weight gradient is
// winograd_grad.go's, its transforms channels last (winograd_nhwc.go).

// winoGeom is the geometry of F(2x2, r x r) (r = 3 or 5) on a stride-1
// convolution from ci channels of h x w, padded by p on each side, to co
// channels: its n x n input tiles (n = r + 1), th x tw of them.
type winoGeom struct {
	ci, co, h, w, p, oh, ow, th, tw int
	r, n                            int
}

func newWinoGeom(r, ci, co, h, w, p int) winoGeom {
	oh, ow := h+2*p-(r-1), w+2*p-(r-1)
	return winoGeom{ci: ci, co: co, h: h, w: w, p: p, oh: oh, ow: ow, th: (oh + 1) / 2, tw: (ow + 1) / 2, r: r, n: r + 1}
}

func (q winoGeom) tiles() int { return q.th * q.tw }

// positions is the products a tile takes: n*n.
func (q winoGeom) positions() int { return q.n * q.n }

// winoMaxPositions bounds positions: F(2x2, 5x5)'s 6x6 tiles.
const winoMaxPositions = 36

// blocking is how the tiles are cut into blocks for the n*n products: per
// images a block when whole images fit, else bands of rows rows of tiles
// of one image. A block's transformed inputs and products (n*n x (ci+co)
// values a tile) stay within winoBlockValues, so that the transforms write
// and read them in cache rather than memory.
func (q winoGeom) blocking(b int) (per, rows int) {
	perTile := q.positions() * (q.ci + q.co)
	least := winoMinTiles
	if q.r == 5 {
		least = wino5MinTiles
	}
	fit := max(q.tw, least, winoBlockValues/perTile) // tiles a block may hold
	if t := q.tiles(); t <= fit {
		return winoFill(max(1, min(b, fit/t)), t), q.th
	}
	return 1, winoFill(max(1, fit/q.tw), q.tw)
}

// winoFill returns the count c in most/2+1..most (most at least 1) whose
// c*each tiles fill the products' column panels best (the largest of
// equals): a block's tiles are the products' columns, computed a panel
// (gemm.Panel) at a time, so 70 tiles (5 rows of 14) cost 96 columns
// and 56 cost 64. Blocks do not change any output's value, only which
// tiles are computed together.
func winoFill(most, each int) int {
	panel := gemm.Panel()
	best, eff := most, 0.0
	for c := most; c > most/2; c-- {
		n := c * each
		if e := float64(n) / float64((n+panel-1)/panel*panel); e > eff+1e-9 {
			best, eff = c, e
		}
	}
	return best
}

// winoBlockValues bounds a block's transformed inputs and products, unless
// that leaves fewer than winoMinTiles tiles: the products read all of the
// transformed filters for each block, and on wide layers a few columns
// would not pay for reading them. F(2x2, 5x5)'s blocks, 2.25 times as
// large a tile, stay nearer the bound: at least wino5MinTiles (two rows of
// tiles of a 28x28 map; `bench -only conv5x5` alternated with 64, 5% faster
// in 5 of 6 pairs).
const (
	winoBlockValues = 1 << 18
	winoMinTiles    = 64
	wino5MinTiles   = 28
)

// winograd says whether pass of g runs as F(2x2, 3x3) or F(2x2, 5x5):
// the forward and input-gradient passes of a dense 3x3 (5x5) convolution
// at stride 1 with equal padding of at most 2 (4), where it pays. It saves
// 9*OH*OW - 16*tiles multiply-adds per image and channel pair (5x5:
// 25*OH*OW - 36*tiles) and costs a transform of every filter (scalar for
// 3x3, a matrix product for 5x5, about as much as winoMinSaved of those) and of every
// input and output tile: measured on this project's machines
// (BenchmarkWinograd), it wins on layers of 64 channels or more both ways
// with maps 14 wide or more and a batch that saves winoMinSaved or more,
// and loses on narrow layers and small maps. 5x5 convolutions take the
// same bounds (BenchmarkWinograd). Where this chooses a layer's forward
// pass, its weight gradient takes F(2x2, r x r) too (convPass, winoGrad,
// winogradFilterGrad).
func (g convGeom) winograd(pass int) bool {
	if pass != convForward && pass != convGradData {
		return false
	}
	if g.kh != g.kw || (g.kh != 3 && g.kh != 5) || g.sh != 1 || g.sw != 1 || g.dh != 1 || g.dw != 1 || g.ph != g.pw || g.ph > g.kh-1 {
		return false
	}
	n := g.kh + 1 // the tiles' side
	tiles := (g.oh + 1) / 2 * ((g.ow + 1) / 2)
	saved := g.b * (g.kh*g.kw*g.oh*g.ow - n*n*tiles)
	return g.c >= winoMinChannels && g.o >= winoMinChannels && g.ow >= winoMinWidth && g.w >= winoMinWidth && saved >= winoMinSaved
}

// The bounds of winograd's choice.
const (
	winoMinChannels = 64
	winoMinWidth    = 14
	winoMinSaved    = 4096
)

// winogradPass runs the forward (in0 = x, in1 = w) or input-gradient
// (in0 = w, in1 = dy) pass of g as F(2x2, 3x3) or F(2x2, 5x5). The input
// gradient is the forward convolution of dy by the filters turned 180
// degrees with input and output channels swapped, padded by r - 1 - p.
func winogradPass[T float32 | float64](t *team, pass int, g convGeom, s *scratch[T], in0, in1, out []T, mul mulFunc[T]) {
	var q winoGeom
	var x, w []T
	if pass == convForward {
		q, x, w = newWinoGeom(g.kh, g.c, g.o, g.h, g.w, g.ph), in0, in1
	} else {
		q, x, w = newWinoGeom(g.kh, g.o, g.c, g.oh, g.ow, g.kh-1-g.ph), in1, in0
	}
	ldu := winoStride(q.co * q.ci)
	u := s.winoFilters(q.positions() * ldu)
	if q.r == 5 {
		wino5FilterTransform(t, s, q, w, u, ldu, pass == convGradData, mul)
	} else {
		winoFilterTransform(t, q, w, u, ldu, pass == convGradData)
	}
	us := s.winoMats[:q.positions()] // in s, not on the heap anew each pass
	u32, packs := any(u).([]float32)
	for xi := range us {
		us[xi] = mat[T]{d: u[xi*ldu : xi*ldu+q.co*q.ci], ld: q.ci}
		if packs { // packed once for all the blocks' products
			s.winoPacked[xi].Pack(t.size(), q.co, q.ci, gemm.Matrix{Data: u32[xi*ldu : xi*ldu+q.co*q.ci], Stride: q.ci})
			us[xi].p = &s.winoPacked[xi]
		}
	}
	k := newWinoBlocks(q, g.b)
	// Blocks are independent: each worker takes a contiguous share of
	// them with scratch space of its own, its products on its share of the
	// cores (the product gives the same bits on any number of workers).
	nw := min(t.size(), k.count())
	if nw <= 1 {
		winoRun(q, s, k, 0, k.count(), us, x, out, mul, t.size())
		return
	}
	parts, per := s.parts(nw), t.size()/nw
	workers.Run(nw, func(i int) {
		winoRun(q, parts[i], k, k.count()*i/nw, k.count()*(i+1)/nw, us, x, out, mul, per)
	})
}

// winoBlocks cuts b images of q's tiles into blocks (see
// winoGeom.blocking): groups of per images, each in bands of rows rows of
// tiles.
type winoBlocks struct{ b, per, rows, bands int }

func newWinoBlocks(q winoGeom, b int) winoBlocks {
	per, rows := q.blocking(b)
	return winoBlocks{b: b, per: per, rows: rows, bands: (q.th + rows - 1) / rows}
}

func (k winoBlocks) count() int { return (k.b + k.per - 1) / k.per * k.bands }

// block i is tile rows ty0..ty1 of images b0..b0+nb.
func (k winoBlocks) block(q winoGeom, i int) (b0, nb, ty0, ty1 int) {
	b0, ty0 = i/k.bands*k.per, i%k.bands*k.rows
	return b0, min(k.per, k.b-b0), ty0, min(q.th, ty0+k.rows)
}

// winoRun runs blocks lo..hi of k one after the other with s's buffers:
// transform the inputs x, n*n products with the transformed filters us
// (each with workers), transform the products into out.
func winoRun[T float32 | float64](q winoGeom, s *scratch[T], k winoBlocks, lo, hi int, us []mat[T], x, out []T, mul mulFunc[T], workers int) {
	most := k.per * k.rows * q.tw
	ldv, ldm := winoStride(q.ci*most), winoStride(q.co*most)
	np := q.positions()
	v, m := s.buffers(np*ldv, np*ldm)
	wp := 2*q.tw + q.r - 1 // a padded input row
	in, res := s.winoRows((2*q.n+1)*wp, (2*q.n+4)*q.tw)
	inHW, outHW := q.h*q.w, q.oh*q.ow
	rows, rows5 := newWinoRows[T](), newWino5Rows[T]()
	for i := lo; i < hi; i++ {
		b0, nb, ty0, ty1 := k.block(q, i)
		tpi := (ty1 - ty0) * q.tw // tiles of each image in the block
		n := nb * tpi
		for j := 0; j < nb; j++ {
			for c := 0; c < q.ci; c++ {
				plane := x[((b0+j)*q.ci+c)*inHW : ((b0+j)*q.ci+c+1)*inHW]
				if q.r == 5 {
					wino5InputTransform(q, rows5, plane, ty0, ty1, v, c*n+j*tpi, ldv, in)
				} else {
					winoInputTransform(q, rows, plane, ty0, ty1, v, c*n+j*tpi, ldv, in)
				}
			}
		}
		for xi := 0; xi < np; xi++ {
			mul(workers, q.co, n, q.ci, us[xi], mat[T]{d: v[xi*ldv : xi*ldv+q.ci*n], ld: n}, m[xi*ldm:xi*ldm+q.co*n], n, false)
		}
		for j := 0; j < nb; j++ {
			for o := 0; o < q.co; o++ {
				plane := out[((b0+j)*q.co+o)*outHW : ((b0+j)*q.co+o+1)*outHW]
				if q.r == 5 {
					wino5OutputTransform(q, rows5, m, o*n+j*tpi, ldm, ty0, ty1, plane, res)
				} else {
					winoOutputTransform(q, rows, m, o*n+j*tpi, ldm, ty0, ty1, plane, res)
				}
			}
		}
	}
}

// winoStride is the distance between the n*n positions' blocks of n values
// in the transformed inputs and products: n rounded up to an odd multiple
// of 16 values. At a multiple of 4 KB (GoogLeNet's 192 channels of 8 images
// of 14x14 tiles) the n*n blocks a tile is written to or read from would
// fall in the same cache sets and alias in the store buffer; this spreads
// them over distinct sets.
func winoStride(n int) int {
	n = (n + 15) / 16 * 16
	if n/16%2 == 0 {
		n += 16
	}
	return n
}
