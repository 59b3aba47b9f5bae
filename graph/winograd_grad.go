package graph

import "github.com/convnets/convnets/internal/workers"

// The weight gradient of a 3x3 or 5x5 convolution through F(2x2, r x r). The
// forward pass is y_t = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d_t B)] A for each tile t, linear
// in U = G g Gᵀ, so dL/dU = Σ_t (A dy_t Aᵀ) ⊙ (Bᵀ d_t B) and
// dL/dg = Gᵀ (dL/dU) G: (r+1)² products, each (outputs x tiles) times
// (tiles x inputs) summed over all tiles of all images, then the inverse
// transform of every filter as one product by G ⊗ G
// (winoFilterGradTransform). Blocks of tiles follow winoBlocks in order
// and each adds its products to the sums, so the sums do not depend on the
// number of workers (the products split their rows among them).

// The weight gradient's blocks: whole images, as many as make about
// winoGradTiles tiles (the length of the products' sums), or bands of an
// image's tile rows where one image would pass that or where its
// transforms would pass winoGradValues values. Longer sums pay for the
// products' packing and their (r+1)² sums' reads and writes: `bench -only
// conv5x5` (8 images of 28x28), alternated alone, took 69.1 ms a step with
// blocks of 392 tiles, 66.8 with 784 and 66.3 with 1568 (docs/speed.md).
const (
	winoGradTiles  = 784
	winoGradValues = 1 << 24
)

// winogradFilterGrad writes dW (co x ci x r x r) of g from the input x and
// the output gradient dy.
func winogradFilterGrad[T float32 | float64](t *team, g convGeom, s *scratch[T], x, dy, dw []T, mul mulFunc[T]) {
	q := newWinoGeom(g.kh, g.c, g.o, g.h, g.w, g.ph)
	np := q.positions()
	k := winoGradBlocks(q, g.b)
	most := k.per * k.rows * q.tw
	ldv, ldm, ldu := winoStride(q.ci*most), winoStride(q.co*most), winoStride(q.co*q.ci)
	v, m := s.buffers(np*ldv, np*ldm)
	du := s.winoFilters(np * ldu)
	nw := t.size()
	parts := s.parts(nw)
	inHW, outHW := q.h*q.w, q.oh*q.ow
	// Transforms of one block, its tile rows dealt out to the workers in
	// contiguous shares: the inputs' Bᵀ d B and the output gradients'
	// A dy Aᵀ, channels last (one closure for all the blocks, which set
	// b0, nb, ty0, ty1, tpi and n).
	var b0, nb, ty0, ty1, tpi, n int
	_, inValues := winoNHWCInRows(q)
	_, outValues := winoNHWCOutRows(q)
	transform := func(w int) {
		in, res := parts[w].winoRows(inValues, outValues)
		rows := ty1 - ty0
		for u, hi := nb*rows*w/nw, nb*rows*(w+1)/nw; u < hi; {
			j, a := u/rows, u%rows
			b := min(rows, a+hi-u) // tile rows a..b of image j
			img := b0 + j
			winoInputNHWC(q, x[img*q.ci*inHW:(img+1)*q.ci*inHW], ty0+a, ty0+b, v, j*tpi+a*q.tw, ldv, in)
			winoGradNHWC(q, dy[img*q.co*outHW:(img+1)*q.co*outHW], ty0+a, ty0+b, m, j*tpi+a*q.tw, ldm, res)
			u += b - a
		}
	}
	// The np products of one block, (outputs x tiles) times (tiles x
	// inputs), both stored tiles first: each worker takes a contiguous
	// share of the output channels, the rows of all np (rows split, each
	// packs its own rows of m and reads v as it is; columns split, each
	// would pack all of m).
	var i int
	products := func(w int) {
		r0, r1 := q.co*w/nw, q.co*(w+1)/nw
		for xi := range np {
			a := mat[T]{d: m[xi*ldm+r0 : xi*ldm+n*q.co], ld: q.co, t: true}
			mul(1, r1-r0, q.ci, n, a, mat[T]{d: v[xi*ldv : xi*ldv+n*q.ci], ld: q.ci}, du[xi*ldu+r0*q.ci:xi*ldu+q.co*q.ci], q.ci, i > 0)
		}
	}
	for i = 0; i < k.count(); i++ {
		b0, nb, ty0, ty1 = k.block(q, i)
		tpi = (ty1 - ty0) * q.tw
		n = nb * tpi
		if nw == 1 {
			transform(0)
			products(0)
			continue
		}
		workers.Run(nw, transform)
		workers.Run(nw, products)
	}
	winoFilterGradTransform(t, s, q, du, ldu, dw, mul)
}

// winoGradBlocks cuts b images of q's tiles into the weight gradient's
// blocks.
func winoGradBlocks(q winoGeom, b int) winoBlocks {
	fit := max(q.tw, min(winoGradTiles, winoGradValues/(q.positions()*(q.ci+q.co)))) // tiles a block may hold
	if t := q.tiles(); t <= fit {
		return winoBlocks{b: b, per: min(b, fit/t), rows: q.th, bands: 1}
	}
	rows := max(1, fit/q.tw)
	return winoBlocks{b: b, per: 1, rows: rows, bands: (q.th + rows - 1) / rows}
}

// winoFilterGradTransform writes Gᵀ u G of the (r+1)² sums u of every
// filter (position xi of filter (o, c) at u[xi*ld + o*ci + c]) into dw
// (co x ci x r x r): one matrix product, the sums (filters x (r+1)², u
// transposed) times G ⊗ G ((r+1)² x r²).
func winoFilterGradTransform[T float32 | float64](t *team, s *scratch[T], q winoGeom, u []T, ld int, dw []T, mul mulFunc[T]) {
	n, np, rr := q.co*q.ci, q.positions(), q.r*q.r
	mul(t.size(), n, rr, np, mat[T]{d: u[:(np-1)*ld+n], ld: ld, t: true}, mat[T]{d: s.winoKron(q.r, false), ld: rr}, dw[:n*rr], rr, false)
}

// winoGrad says whether g's weight gradient runs through F(2x2, r x r):
// a 3x3 or 5x5 layer's, where its forward pass does. With channels-first
// transforms a 3x3 layer's was slower than im2col on two cores; channels
// last, `bench -only conv3x3` alternated alone took 32.9 ms a step
// against im2col's 38.5 (docs/speed.md).
func (g convGeom) winoGrad() bool { return g.winograd(convForward) }
