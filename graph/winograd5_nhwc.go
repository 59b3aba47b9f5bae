package graph

import "github.com/convnets/convnets/internal/gemm"

// The weight gradient's transforms of F(2x2, 5x5), channels last: a band
// of an image's rows is first transposed to (row, column, channel) order,
// so that each of a tile's 36 transformed values is written for all
// channels at once, a run of ci (co) values. Position xi of the block's
// tile k is then at v[xi*ld + k*ci + c] (m[xi*ld + k*co + o]): per
// position, a tiles x channels matrix whose rows the weight gradient's
// products read as they are (B) or copy whole (A, transposed), where
// channels-first runs of tiles would have to be transposed by both
// factors' packing, for every position and every worker. The values are
// those of the channels-first transforms (wino5InputTransform), operation
// for operation: the same kernels over runs of channels instead of runs of
// tiles. `bench -only conv5x5` alternated, alone: 99.1 ms a step with the
// channels-first transforms, 79.1 with these and the products' rows split.

// wino5NHWCValues bounds a band of transposed rows (about half of a core's
// L2 cache): bands of fewer tile rows where an image's rows would pass it.
const wino5NHWCValues = 1 << 17

// wino5NHWCInRows is the tile rows of the input's bands and the values
// their buffer holds: the band's 2*rows + 4 padded rows and the six rows
// of Bᵀ d, each of (2*tw + 4) x ci values.
func wino5NHWCInRows(q winoGeom) (rows, values int) {
	row := (2*q.tw + 4) * q.ci
	rows = max(1, (wino5NHWCValues/row-4)/2)
	return rows, (2*rows + 10) * row
}

// wino5NHWCOutRows is the same for the output gradient: 2*rows rows and
// six of A z, each of 2*tw x co values.
func wino5NHWCOutRows(q winoGeom) (rows, values int) {
	row := 2 * q.tw * q.co
	rows = max(1, wino5NHWCValues/(2*row))
	return rows, (2*rows + 6) * row
}

// wino5InputNHWC writes Bᵀ d B of the 6x6 tiles of img (one image, ci x
// h x w) in tile rows a..b into v, channels last: tile row a's first tile
// is the block's tile off. buf holds wino5NHWCInRows' values.
func wino5InputNHWC[T float32 | float64](q winoGeom, rows wino5Rows[T], img []T, a, b int, v []T, off, ld int, buf []T) {
	ci, row := q.ci, (2*q.tw+4)*q.ci
	band, _ := wino5NHWCInRows(q)
	for c0 := a; c0 < b; c0 += band {
		c1 := min(b, c0+band)
		nr := 2*(c1-c0) + 4
		xt, s1 := buf[:nr*row], buf[nr*row:(nr+6)*row]
		for r := range nr { // padded rows, channels last
			dst := xt[r*row : (r+1)*row]
			y := 2*c0 - q.p + r
			if y < 0 || y >= q.h {
				clear(dst)
				continue
			}
			clear(dst[:q.p*ci])
			clear(dst[(q.p+q.w)*ci:])
			transposeT(ci, q.w, img[y*q.w:], q.h*q.w, dst[q.p*ci:], ci)
		}
		for ty := c0; ty < c1; ty++ {
			r0 := 2 * (ty - c0)
			in := func(i int) []T { return xt[(r0+i)*row : (r0+i+1)*row] }
			rows.in(row, in(0), in(1), in(2), in(3), in(4), in(5), s1, row) // Bᵀ d, whole rows
			k := off + (ty-a)*q.tw
			for i := range 6 { // (Bᵀ d) B: columns 2tx..2tx+5 of row i
				e := s1[i*row : (i+1)*row]
				for tx := range q.tw {
					col := func(j int) []T { return e[(2*tx+j)*ci:] }
					rows.in(ci, col(0), col(1), col(2), col(3), col(4), col(5), v[6*i*ld+(k+tx)*ci:], ld)
				}
			}
		}
	}
}

// wino5GradNHWC writes A z Aᵀ of the 2x2 blocks z of img (one image's
// output gradient, co x oh x ow, zero past its edges) in tile rows a..b
// into m, channels last, as wino5InputNHWC does. buf holds
// wino5NHWCOutRows' values.
func wino5GradNHWC[T float32 | float64](q winoGeom, rows wino5Rows[T], img []T, a, b int, m []T, off, ld int, buf []T) {
	co, row := q.co, 2*q.tw*q.co
	band, _ := wino5NHWCOutRows(q)
	for c0 := a; c0 < b; c0 += band {
		c1 := min(b, c0+band)
		nr := 2 * (c1 - c0)
		zt, s1 := buf[:nr*row], buf[nr*row:(nr+6)*row]
		for r := range nr {
			dst := zt[r*row : (r+1)*row]
			y := 2*c0 + r
			if y >= q.oh {
				clear(dst)
				continue
			}
			clear(dst[q.ow*co:])
			transposeT(co, q.ow, img[y*q.ow:], q.oh*q.ow, dst, co)
		}
		for ty := c0; ty < c1; ty++ {
			r0 := 2 * (ty - c0)
			rows.grad(row, zt[r0*row:(r0+1)*row], zt[(r0+1)*row:(r0+2)*row], s1, row) // A z, whole rows
			k := off + (ty-a)*q.tw
			for i := range 6 { // (A z) Aᵀ: columns 2tx and 2tx+1 of row i
				e := s1[i*row : (i+1)*row]
				for tx := range q.tw {
					rows.grad(co, e[2*tx*co:], e[(2*tx+1)*co:], m[6*i*ld+(k+tx)*co:], ld)
				}
			}
		}
	}
}

// transposeT writes rows rows of src (lds apart), cols values each, as
// cols rows of dst (ldd apart): gemm's transposition in float32, a loop in
// float64.
func transposeT[T float32 | float64](rows, cols int, src []T, lds int, dst []T, ldd int) {
	if s, ok := any(src).([]float32); ok {
		gemm.Transpose(rows, cols, s, lds, any(dst).([]float32), ldd)
		return
	}
	for r := range rows {
		for p, v := range src[r*lds : r*lds+cols] {
			dst[p*ldd+r] = v
		}
	}
}
