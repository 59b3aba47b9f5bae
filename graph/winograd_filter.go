package graph

// The weight gradient as F(2x2, 3x3). A tile's outputs are
// Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, so the loss's gradient with respect to the
// transformed filter G g Gᵀ is the sum over tiles of (A dy Aᵀ) ⊙ (Bᵀ d B),
// and with respect to g it is Gᵀ (that sum) G. Each of the 16 positions'
// sums over the tiles is one matrix product (outputs x tiles times tiles x
// inputs) added up block after block; the blocks go in order and each
// product is split between the cores by its output tiles, so the sums do
// not depend on the number of cores.

// winoFilterMinTiles is the fewest tiles a block of the weight gradient
// takes: they are the products' inner dimension.
const winoFilterMinTiles = 256

// winogradFilterGrad writes the gradient of g's filters (out, O x C x 3 x 3)
// from the images x and the gradient dy of the outputs.
func winogradFilterGrad[T float32 | float64](t *team, g convGeom, s *scratch[T], x, dy, out []T, mul mulFunc[T]) {
	q := newWinoGeom(g.c, g.o, g.h, g.w, g.ph)
	k := newWinoBlocks(q, g.b, winoFilterMinTiles)
	most := k.per * k.rows * q.tw
	ldv, ldm := winoStride(q.ci*most), winoStride(q.co*most)
	v, d := s.buffers(16*ldv, 16*ldm)
	ldu := winoStride(q.co * q.ci)
	acc := s.winoFilters(16 * ldu) // the 16 positions' sums, O x C each
	parts := s.parts(t.size())     // each worker's rows for the input transform
	rows := newWinoRows[T]()
	inHW, outHW := q.h*q.w, q.oh*q.ow
	for i := 0; i < k.count(); i++ {
		b0, nb, ty0, ty1 := k.block(q, i)
		tpi := (ty1 - ty0) * q.tw
		n := nb * tpi
		t.parallelForW(nb*q.ci, 1, func(w, lo, hi int) {
			in, _ := parts[w].winoRows(8*(2*q.tw+2), 0)
			for u := lo; u < hi; u++ {
				j, c := u/q.ci, u%q.ci
				plane := x[((b0+j)*q.ci+c)*inHW : ((b0+j)*q.ci+c+1)*inHW]
				winoInputTransform(q, rows, plane, ty0, ty1, v, c*n+j*tpi, ldv, in)
			}
		})
		t.parallelForW(nb*q.co, 1, func(w, lo, hi int) {
			buf, _ := parts[w].winoRows(8*(2*q.tw+2), 0)
			for u := lo; u < hi; u++ {
				j, o := u/q.co, u%q.co
				plane := dy[((b0+j)*q.co+o)*outHW : ((b0+j)*q.co+o+1)*outHW]
				winoGradTransform(q, plane, ty0, ty1, d, o*n+j*tpi, ldm, buf)
			}
		})
		for xi := 0; xi < 16; xi++ {
			mul(t.size(), q.co, q.ci, n, mat[T]{d: d[xi*ldm : xi*ldm+q.co*n], ld: n},
				mat[T]{d: v[xi*ldv : xi*ldv+q.ci*n], ld: n, t: true}, acc[xi*ldu:xi*ldu+q.co*q.ci], q.ci, i > 0)
		}
	}
	winoFilterBack(t, q, acc, ldu, out)
}

// winoGradTransform writes A y Aᵀ of every 2x2 block y of plane (oh x ow,
// zero past its edge) in tile rows ty0..ty1 into d: position xi of the
// block's tile k at d[xi*ld + off + k]. Like winoInputTransform it works a
// row of tiles at a time on whole rows (buf holds 4 rows of 2*tw): A's
// rows combine the two rows of outputs across the whole width, then each
// position is one run of tw values.
func winoGradTransform[T float32 | float64](q winoGeom, plane []T, ty0, ty1 int, d []T, off, ld int, buf []T) {
	w2 := 2 * q.tw
	buf = buf[:4*w2]
	a0, a1, a2, a3 := buf[:w2], buf[w2:2*w2], buf[2*w2:3*w2], buf[3*w2:4*w2]
	for ty := ty0; ty < ty1; ty++ {
		r0 := plane[2*ty*q.ow : (2*ty+1)*q.ow]
		var r1 []T
		if 2*ty+1 < q.oh {
			r1 = plane[(2*ty+1)*q.ow : (2*ty+2)*q.ow]
		}
		// A y: rows y0, y0 + y1, y0 - y1, -y1 (y1 zero past the last row,
		// both zero past the last column).
		for x := 0; x < w2; x++ {
			var y0, y1 T
			if x < q.ow {
				y0 = r0[x]
				if r1 != nil {
					y1 = r1[x]
				}
			}
			a0[x], a1[x], a2[x], a3[x] = y0, y0+y1, y0-y1, -y1
		}
		k := off + (ty-ty0)*q.tw
		for i, ai := range [4][]T{a0, a1, a2, a3} {
			d0 := d[(4*i)*ld+k : (4*i)*ld+k+q.tw]
			d1 := d[(4*i+1)*ld+k : (4*i+1)*ld+k+q.tw]
			d2 := d[(4*i+2)*ld+k : (4*i+2)*ld+k+q.tw]
			d3 := d[(4*i+3)*ld+k : (4*i+3)*ld+k+q.tw]
			for tx := range d0 {
				e, o := ai[2*tx], ai[2*tx+1]
				d0[tx], d1[tx], d2[tx], d3[tx] = e, e+o, e-o, -o
			}
		}
	}
}

// winoFilterBack writes Gᵀ X G of every filter's summed 4x4 X (position xi
// of filter (o, c) at acc[xi*ld + o*ci + c]) into out as (O, C, 3, 3).
func winoFilterBack[T float32 | float64](t *team, q winoGeom, acc []T, ld int, out []T) {
	t.parallelFor(q.co, 1, func(lo, hi int) {
		for o := lo; o < hi; o++ {
			for c := 0; c < q.ci; c++ {
				var x [16]T
				for xi := range x {
					x[xi] = acc[xi*ld+o*q.ci+c]
				}
				// Rows: Gᵀ X (3 x 4), then columns: (Gᵀ X) G (3 x 3).
				var r [12]T
				for j := 0; j < 4; j++ {
					x0, x1, x2, x3 := x[j], x[4+j], x[8+j], x[12+j]
					r[j], r[4+j], r[8+j] = x0+(x1+x2)/2, (x1-x2)/2, (x1+x2)/2+x3
				}
				f := out[(o*q.ci+c)*9 : (o*q.ci+c+1)*9]
				for i := 0; i < 3; i++ {
					x0, x1, x2, x3 := r[4*i], r[4*i+1], r[4*i+2], r[4*i+3]
					f[3*i], f[3*i+1], f[3*i+2] = x0+(x1+x2)/2, (x1-x2)/2, (x1+x2)/2+x3
				}
			}
		}
	})
}
