package graph

import (
	"github.com/convnets/convnets/internal/gemm"
	"github.com/convnets/convnets/internal/winograd"
)

// The weight gradient's transforms of F(2x2, r x r), channels last: a
// band of an image's rows is first transposed to (row, column, channel)
// order, so that each of a tile's (r+1)² transformed values is written for
// all channels at once, a run of ci (co) values. Position xi of the
// block's tile k is then at v[xi*ld + k*ci + c] (m[xi*ld + k*co + o]): per
// position, a tiles x channels matrix whose rows the weight gradient's
// products read as they are (B) or copy whole (A, transposed), where
// channels-first runs of tiles would have to be transposed by both
// factors' packing, for every position and every worker. Each transform
// is the same combination twice, across the band's rows (whole rows at
// once) and then across each tile's columns: internal/winograd's Input3
// and Grad3, Input5 and Grad5, the last two as the channels-first
// transforms (wino5InputTransform) apply them, operation for operation.
// `bench -only conv5x5` alternated, alone: 99.1 ms a step with
// channels-first transforms, 79.1 with these and the products' rows split.

// winoNHWCValues bounds a band of transposed rows (about half of a core's
// L2 cache): bands of fewer tile rows where an image's rows would pass it.
const winoNHWCValues = 1 << 17

// winoNHWCInRows is the tile rows of the input's bands and the values
// their buffer holds: the band's 2*rows + r - 1 padded rows and the r + 1
// rows of Bᵀ d, each of (2*tw + r - 1) x ci values.
func winoNHWCInRows(q winoGeom) (rows, values int) {
	row := (2*q.tw + q.r - 1) * q.ci
	rows = max(1, (winoNHWCValues/row-q.r+1)/2)
	return rows, (2*rows + 2*q.r) * row
}

// winoNHWCOutRows is the same for the output gradient: 2*rows rows and
// the r + 1 of A z, each of 2*tw x co values.
func winoNHWCOutRows(q winoGeom) (rows, values int) {
	row := 2 * q.tw * q.co
	rows = max(1, winoNHWCValues/(2*row))
	return rows, (2*rows + q.n) * row
}

// winoInputNHWC writes Bᵀ d B of the tiles of img (one image, ci x h x w)
// in tile rows a..b into v, channels last: tile row a's first tile is the
// block's tile off. buf holds winoNHWCInRows' values.
func winoInputNHWC[T float32 | float64](q winoGeom, img []T, a, b int, v []T, off, ld int, buf []T) {
	ci, nn, row := q.ci, q.n, (2*q.tw+q.r-1)*q.ci
	band, _ := winoNHWCInRows(q)
	for c0 := a; c0 < b; c0 += band {
		c1 := min(b, c0+band)
		nr := 2*(c1-c0) + q.r - 1
		xt, s1 := buf[:nr*row], buf[nr*row:(nr+nn)*row]
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
			winoInputRun(q.r, row, xt[r0*row:], row, s1, row) // Bᵀ d, whole rows
			k := off + (ty-a)*q.tw
			for i := range nn { // (Bᵀ d) B: columns 2tx..2tx+r of row i
				e := s1[i*row : (i+1)*row]
				for tx := range q.tw {
					winoInputRun(q.r, ci, e[2*tx*ci:], ci, v[nn*i*ld+(k+tx)*ci:], ld)
				}
			}
		}
	}
}

// winoGradNHWC writes A z Aᵀ of the 2x2 blocks z of img (one image's
// output gradient, co x oh x ow, zero past its edges) in tile rows a..b
// into m, channels last, as winoInputNHWC does. buf holds
// winoNHWCOutRows' values.
func winoGradNHWC[T float32 | float64](q winoGeom, img []T, a, b int, m []T, off, ld int, buf []T) {
	co, nn, row := q.co, q.n, 2*q.tw*q.co
	band, _ := winoNHWCOutRows(q)
	for c0 := a; c0 < b; c0 += band {
		c1 := min(b, c0+band)
		nr := 2 * (c1 - c0)
		zt, s1 := buf[:nr*row], buf[nr*row:(nr+nn)*row]
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
			winoGradRun(q.r, row, zt[r0*row:(r0+1)*row], zt[(r0+1)*row:(r0+2)*row], s1, row) // A z, whole rows
			k := off + (ty-a)*q.tw
			for i := range nn { // (A z) Aᵀ: columns 2tx and 2tx+1 of row i
				e := s1[i*row : (i+1)*row]
				for tx := range q.tw {
					winoGradRun(q.r, co, e[2*tx*co:], e[(2*tx+1)*co:], m[nn*i*ld+(k+tx)*co:], ld)
				}
			}
		}
	}
}

// winoInputRun applies F(2x2, r x r)'s Bᵀ to the r + 1 runs src[j*step:]
// (n values each), writing r + 1 runs of d, stride apart: internal/
// winograd's Input3 or Input5 (assembly where the CPU has it) in float32,
// their plain loops in float64.
func winoInputRun[T float32 | float64](r, n int, src []T, step int, d []T, stride int) {
	s := func(j int) []T { return src[j*step:] }
	f, is32 := any(src).([]float32)
	var f32 func(j int) []float32
	if is32 {
		f32 = func(j int) []float32 { return f[j*step:] }
	}
	switch {
	case r == 5 && is32:
		winograd.Input5(n, f32(0), f32(1), f32(2), f32(3), f32(4), f32(5), any(d).([]float32), stride)
	case r == 5:
		winograd.Input5Loop(0, n, s(0), s(1), s(2), s(3), s(4), s(5), d, stride)
	case is32:
		winograd.Input3(n, f32(0), f32(1), f32(2), f32(3), any(d).([]float32), stride)
	default:
		winograd.Input3Loop(0, n, s(0), s(1), s(2), s(3), d, stride)
	}
}

// winoGradRun applies F(2x2, r x r)'s A to the runs z0, z1 (n values
// each), writing r + 1 runs of d, stride apart: Grad3 or Grad5.
func winoGradRun[T float32 | float64](r, n int, z0, z1, d []T, stride int) {
	a, is32 := any(z0).([]float32)
	switch {
	case r == 5 && is32:
		winograd.Grad5(n, a, any(z1).([]float32), any(d).([]float32), stride)
	case r == 5:
		winograd.Grad5Loop(0, n, z0, z1, d, stride)
	case is32:
		winograd.Grad3(n, a, any(z1).([]float32), any(d).([]float32), stride)
	default:
		winograd.Grad3Loop(0, n, z0, z1, d, stride)
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
