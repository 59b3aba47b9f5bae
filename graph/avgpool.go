package graph

// Average pooling (padding counts as zeros, PyTorch's count_include_pad) a
// row of outputs at a time: each window row's values are added to the whole
// output row as one run instead of window by window, in the same order per
// output (window rows, then columns), so the sums are the plain loop's, bit
// for bit.

// avgRange is the outputs 0 <= ox < n whose window column kx falls inside
// a row of w values: ox*s - p + kx in [0, w).
func avgRange(n, w, s, p, kx int) (lo, hi int) {
	lo = max(0, (p-kx+s-1)/s)
	if p-kx < 0 {
		lo = 0
	}
	hi = min(n, (w-1+p-kx)/s+1)
	if w-1+p-kx < 0 {
		hi = 0
	}
	lo = min(lo, n) // a window column wholly in the padding covers no output
	return lo, max(lo, hi)
}

// avgRanges is avgRange of every window column, made once per op.
func avgRanges(op *poolOp, w int) [][2]int {
	if len(op.ranges) != op.kw {
		op.ranges = make([][2]int, op.kw)
		for kx := range op.ranges {
			op.ranges[kx][0], op.ranges[kx][1] = avgRange(op.outW, w, op.sw, op.pw, kx)
		}
	}
	return op.ranges
}

// avgForward averages each window (padding counts as zeros).
func avgForward[T float32 | float64](op *poolOp, in, out []T) {
	h, w, area := op.in[2], op.in[3], T(op.kh*op.kw)
	ow := op.outW
	if avgVectors(op, in, out, false) {
		return
	}
	ranges := avgRanges(op, w)
	op.team.parallelFor(op.in[0]*op.in[1], 8, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			plane := in[p*h*w : (p+1)*h*w]
			for oy := 0; oy < op.outH; oy++ {
				acc := out[(p*op.outH+oy)*ow : (p*op.outH+oy+1)*ow]
				clear(acc)
				y0 := oy*op.sh - op.ph
				for y := max(0, y0); y < min(h, y0+op.kh); y++ {
					row := plane[y*w : (y+1)*w]
					for kx := 0; kx < op.kw; kx++ {
						a, b := ranges[kx][0], ranges[kx][1]
						if a == b {
							continue
						}
						off := kx - op.pw
						if op.sw == 1 {
							src := row[a+off : b+off]
							dst := acc[a:b]
							for i, v := range src {
								dst[i] += v
							}
							continue
						}
						for ox := a; ox < b; ox++ {
							acc[ox] += row[ox*op.sw+off]
						}
					}
				}
				for i := range acc {
					acc[i] /= area
				}
			}
		}
	})
}

// avgBackward spreads each output's gradient over its window. Each input
// receives its outputs' shares in the plain loop's order (outputs by rows,
// then columns): an output row in runs of up to 256 columns, left to
// right, and within a run window column kw-1 first.
func avgBackward[T float32 | float64](op *poolOp, dy, dx []T) {
	h, w, area := op.in[2], op.in[3], T(op.kh*op.kw)
	ow := op.outW
	if avgVectors(op, dy, dx, true) {
		return
	}
	ranges := avgRanges(op, w)
	op.team.parallelFor(op.in[0]*op.in[1], 8, func(lo, hi int) {
		clear(dx[lo*h*w : hi*h*w])
		var share [256]T
		for p := lo; p < hi; p++ {
			plane := dx[p*h*w : (p+1)*h*w]
			for oy := 0; oy < op.outH; oy++ {
				dyRow := dy[(p*op.outH+oy)*ow : (p*op.outH+oy+1)*ow]
				for c0 := 0; c0 < ow; c0 += len(share) {
					c1 := min(ow, c0+len(share))
					g := share[:c1-c0]
					for i, v := range dyRow[c0:c1] {
						g[i] = v / area
					}
					y0 := oy*op.sh - op.ph
					for y := max(0, y0); y < min(h, y0+op.kh); y++ {
						row := plane[y*w : (y+1)*w]
						for kx := op.kw - 1; kx >= 0; kx-- {
							a, b := max(ranges[kx][0], c0), min(ranges[kx][1], c1)
							if a >= b {
								continue
							}
							off := kx - op.pw
							if op.sw == 1 {
								dst := row[a+off : b+off]
								for i, v := range g[a-c0 : b-c0] {
									dst[i] += v
								}
								continue
							}
							for ox := a; ox < b; ox++ {
								row[ox*op.sw+off] += g[ox-c0]
							}
						}
					}
				}
			}
		}
	})
}
