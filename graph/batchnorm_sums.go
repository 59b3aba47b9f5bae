package graph

import "github.com/convnets/convnets/internal/vec"

// Batch norm's per-channel sums, bnGroup channels side by side. Each sum is
// a float64 chain in its channel's own order (image by image, then along
// the image), so its bits are those of the one-channel loops; four
// independent chains keep the adder busy where one waits on the last
// addition's latency.

// bnGroup is the channels the sums run side by side.
const bnGroup = 4

// bnStretch is the values of each channel whose masked gradients
// groupGradSums holds at once.
const bnStretch = 64

// groupSums is the sum of each of channels c..c+bnGroup-1 of x.
func groupSums[T float32 | float64](st *bnState, x []T, c int) [bnGroup]float64 {
	var s0, s1, s2, s3 float64
	for b := range st.shape[0] {
		off := (b*st.c + c) * st.s
		x0 := x[off : off+st.s]
		x1, x2, x3 := x[off+st.s:][:len(x0)], x[off+2*st.s:][:len(x0)], x[off+3*st.s:][:len(x0)]
		for i, v := range x0 {
			s0 += float64(v)
			s1 += float64(x1[i])
			s2 += float64(x2[i])
			s3 += float64(x3[i])
		}
	}
	return [bnGroup]float64{s0, s1, s2, s3}
}

// groupSquares is the sum of squared deviations from mean of each of
// channels c..c+bnGroup-1 of x.
func groupSquares[T float32 | float64](st *bnState, x []T, c int, mean [bnGroup]float64) [bnGroup]float64 {
	var q0, q1, q2, q3 float64
	for b := range st.shape[0] {
		off := (b*st.c + c) * st.s
		x0 := x[off : off+st.s]
		x1, x2, x3 := x[off+st.s:][:len(x0)], x[off+2*st.s:][:len(x0)], x[off+3*st.s:][:len(x0)]
		for i, v := range x0 {
			d0, d1 := float64(v)-mean[0], float64(x1[i])-mean[1]
			d2, d3 := float64(x2[i])-mean[2], float64(x3[i])-mean[3]
			q0 += d0 * d0
			q1 += d1 * d1
			q2 += d2 * d2
			q3 += d3 * d3
		}
	}
	return [bnGroup]float64{q0, q1, q2, q3}
}

// groupGradSums is bnSums's sum(dy) and sum(dy * (x - mean)) of channels
// c..c+bnGroup-1, dy masked by the fused activation's output y first.
func groupGradSums[T float32 | float64](st *bnState, act bnAct, x, dy, y []T, c int, mean [bnGroup]float64) (sdy, sdyx [bnGroup]float64) {
	var a0, a1, a2, a3, b0, b1, b2, b3 float64
	var buf [bnGroup][bnStretch]T
	var d [bnGroup][]T
	for b := range st.shape[0] {
		off := (b*st.c + c) * st.s
		for i0 := 0; i0 < st.s; i0 += bnStretch {
			n := min(bnStretch, st.s-i0)
			for k := range d {
				o := off + k*st.s + i0
				switch act {
				case bnNone:
					d[k] = dy[o : o+n]
				case bnReLU:
					d[k] = buf[k][:n]
					vec.ReLUGrad(d[k], dy[o:o+n], y[o:o+n])
				case bnReLU6:
					d[k] = buf[k][:n]
					for i, g := range dy[o : o+n] {
						d[k][i] = relu6Pass(g, y[o+i])
					}
				}
			}
			x0 := x[off+i0 : off+i0+n]
			x1, x2, x3 := x[off+st.s+i0:][:n], x[off+2*st.s+i0:][:n], x[off+3*st.s+i0:][:n]
			d0, d1, d2, d3 := d[0][:n], d[1][:n], d[2][:n], d[3][:n]
			for i, v := range x0 {
				e0, e1, e2, e3 := float64(d0[i]), float64(d1[i]), float64(d2[i]), float64(d3[i])
				a0 += e0
				b0 += e0 * (float64(v) - mean[0])
				a1 += e1
				b1 += e1 * (float64(x1[i]) - mean[1])
				a2 += e2
				b2 += e2 * (float64(x2[i]) - mean[2])
				a3 += e3
				b3 += e3 * (float64(x3[i]) - mean[3])
			}
		}
	}
	return [bnGroup]float64{a0, a1, a2, a3}, [bnGroup]float64{b0, b1, b2, b3}
}
