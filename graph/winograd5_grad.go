package graph

import "github.com/convnets/convnets/internal/workers"

// The weight gradient of a 5x5 convolution through F(2x2, 5x5). The
// forward pass is y_t = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d_t B)] A for each tile t, linear
// in U = G g Gᵀ, so dL/dU = Σ_t (A dy_t Aᵀ) ⊙ (Bᵀ d_t B) and
// dL/dg = Gᵀ (dL/dU) G: 36 products, each (outputs x tiles) times
// (tiles x inputs) summed over all tiles of all images, then the inverse
// transform of every filter as one product by G ⊗ G
// (wino5FilterGradTransform). Blocks of tiles follow winoBlocks in order
// and each adds its products to the sums, so the sums do not depend on the
// number of workers (the products split their rows among them).

// The weight gradient's blocks: whole images, as many as make about
// wino5GradTiles tiles (the length of the products' sums), or bands of an
// image's tile rows where one image would pass that or where its
// transforms would pass wino5GradValues values. Longer sums pay for the
// products' packing and their 36 sums' reads and writes: `bench -only
// conv5x5` (8 images of 28x28) took 84-88 ms a step with blocks of 4
// images, 88-96 with 2 and about 118 with 1, for 25 MB more scratch space
// than 2.
const (
	wino5GradTiles  = 784
	wino5GradValues = 1 << 24
)

// winogradFilterGrad writes dW (co x ci x 5 x 5) of g from the input x and
// the output gradient dy.
func winogradFilterGrad[T float32 | float64](t *team, g convGeom, s *scratch[T], x, dy, dw []T, mul mulFunc[T]) {
	q := newWinoGeom(5, g.c, g.o, g.h, g.w, g.ph)
	k := winoGradBlocks(q, g.b)
	most := k.per * k.rows * q.tw
	ldv, ldm, ldu := winoStride(q.ci*most), winoStride(q.co*most), winoStride(q.co*q.ci)
	v, m := s.buffers(36*ldv, 36*ldm)
	du := s.winoFilters(36 * ldu)
	nw := t.size()
	parts := s.parts(nw)
	rows5 := newWino5Rows[T]()
	inHW, outHW := q.h*q.w, q.oh*q.ow
	// Transforms of one block, the channels dealt out to the workers: the
	// inputs' Bᵀ d B, then the output gradients' A dy Aᵀ (one closure for
	// all the blocks, which set b0, nb, ty0, ty1, tpi and n).
	var b0, nb, ty0, ty1, tpi, n int
	transform := func(w int) {
		p := parts[w]
		in, res := p.winoRows(13*(2*q.tw+4), 18*q.tw)
		for c := q.ci * w / nw; c < q.ci*(w+1)/nw; c++ {
			for j := range nb {
				plane := x[((b0+j)*q.ci+c)*inHW : ((b0+j)*q.ci+c+1)*inHW]
				wino5InputTransform(q, rows5, plane, ty0, ty1, v, c*n+j*tpi, ldv, in)
			}
		}
		for o := q.co * w / nw; o < q.co*(w+1)/nw; o++ {
			for j := range nb {
				plane := dy[((b0+j)*q.co+o)*outHW : ((b0+j)*q.co+o+1)*outHW]
				wino5GradTransform(q, rows5, plane, ty0, ty1, m, o*n+j*tpi, ldm, res)
			}
		}
	}
	for i := 0; i < k.count(); i++ {
		b0, nb, ty0, ty1 = k.block(q, i)
		tpi = (ty1 - ty0) * q.tw
		n = nb * tpi
		workers.Run(nw, transform)
		for xi := range 36 {
			mul(nw, q.co, q.ci, n, mat[T]{d: m[xi*ldm : xi*ldm+q.co*n], ld: n}, mat[T]{d: v[xi*ldv : xi*ldv+q.ci*n], ld: n, t: true}, du[xi*ldu:xi*ldu+q.co*q.ci], q.ci, i > 0)
		}
	}
	wino5FilterGradTransform(t, s, q, du, ldu, dw, mul)
}

// winoGradBlocks cuts b images of q's tiles into the weight gradient's
// blocks.
func winoGradBlocks(q winoGeom, b int) winoBlocks {
	fit := max(q.tw, min(wino5GradTiles, wino5GradValues/(q.positions()*(q.ci+q.co)))) // tiles a block may hold
	if t := q.tiles(); t <= fit {
		return winoBlocks{b: b, per: min(b, fit/t), rows: q.th, bands: 1}
	}
	rows := max(1, fit/q.tw)
	return winoBlocks{b: b, per: 1, rows: rows, bands: (q.th + rows - 1) / rows}
}

// wino5GradTransform writes A z Aᵀ of the 2x2 blocks z of the output
// gradient plane (oh x ow, zero past its edges) in tile rows ty0..ty1 into
// m, position xi of the block's tile k at m[xi*ld + off + k]; buf holds 18
// runs of tw. A = (Aᵀ)ᵀ takes two values (z0, z1) to six: z0, z0 + z1,
// z0 - z1, z0 + z1/2, z0 - 2 z1 and z1 (internal/winograd's Grad5).
func wino5GradTransform[T float32 | float64](q winoGeom, rows wino5Rows[T], plane []T, ty0, ty1 int, m []T, off, ld int, buf []T) {
	tw := q.tw
	buf = buf[:18*tw]
	run := func(i int) []T { return buf[i*tw : (i+1)*tw] }
	pad := buf[16*tw : 18*tw]
	clear(pad[q.ow:]) // the column past an odd width
	for ty := ty0; ty < ty1; ty++ {
		// Runs 2a and 2a+1: row 2ty + a's even and odd columns (through
		// the last two runs, the row padded to 2*tw).
		for a := range 2 {
			ev, od := run(2*a), run(2*a+1)
			y := 2*ty + a
			if y >= q.oh {
				clear(ev)
				clear(od)
				continue
			}
			copy(pad, plane[y*q.ow:(y+1)*q.ow])
			deinterleave(pad, ev, od)
		}
		// Runs 4 + 6b + i: row i of A z for column parity b; then (A z) Aᵀ.
		rows.grad(tw, run(0), run(2), buf[4*tw:], tw)
		rows.grad(tw, run(1), run(3), buf[10*tw:], tw)
		k := off + (ty-ty0)*tw
		for i := range 6 {
			rows.grad(tw, run(4+i), run(10+i), m[6*i*ld+k:], ld)
		}
	}
}

// wino5FilterGradTransform writes Gᵀ u G of the 36 sums u of every filter
// (position xi of filter (o, c) at u[xi*ld + o*ci + c]) into dw
// (co x ci x 5 x 5): one matrix product, the sums (filters x 36, u
// transposed) times G ⊗ G (36 x 25).
func wino5FilterGradTransform[T float32 | float64](t *team, s *scratch[T], q winoGeom, u []T, ld int, dw []T, mul mulFunc[T]) {
	n := q.co * q.ci
	mul(t.size(), n, 25, 36, mat[T]{d: u[:35*ld+n], ld: ld, t: true}, mat[T]{d: s.wino5Kron(false), ld: 25}, dw[:n*25], 25, false)
}

// winoGrad says whether g's weight gradient runs through F(2x2, 5x5): a
// 5x5 layer's, where its forward pass does. (The same scheme for 3x3
// layers was slower than im2col alone on two cores, docs/speed.md.)
func (g convGeom) winoGrad() bool { return g.kh == 5 && g.winograd(convForward) }
