package graph

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// TestGroupSumsSameBits: the sums of four channels side by side are, bit
// for bit, the one-channel loops' (statistics, and the gradient's sums
// under each fused activation), for runs shorter and longer than a
// stretch.
func TestGroupSumsSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, shape := range [][]int{{3, 5, 2, 2}, {2, 4, 9, 9}, {2, 6, 1}, {1, 4, 130}} {
		st := newBNState(shape, tensor.Float32, nil)
		n := shape[0] * st.c * st.s
		x, dy, y := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range x {
			x[i], dy[i] = float32(rng.NormFloat64()*3+1), float32(rng.NormFloat64())
			y[i] = float32(rng.NormFloat64() * 4)
		}
		for c := 0; c+bnGroup <= st.c; c++ {
			var mean [bnGroup]float64
			sums := groupSums(st, x, c)
			for k := range mean {
				mean[k] = sums[k] / 7
			}
			squares := groupSquares(st, x, c, mean)
			for k := range bnGroup {
				var sum, ss float64
				st.each(c+k, func(off int) {
					for _, v := range x[off : off+st.s] {
						sum += float64(v)
					}
				})
				st.each(c+k, func(off int) {
					for _, v := range x[off : off+st.s] {
						ss += (float64(v) - mean[k]) * (float64(v) - mean[k])
					}
				})
				if math.Float64bits(sum) != math.Float64bits(sums[k]) || math.Float64bits(ss) != math.Float64bits(squares[k]) {
					t.Fatalf("%v channel %d: sums %v %v, one channel's %v %v", shape, c+k, sums[k], squares[k], sum, ss)
				}
			}
			for _, act := range []bnAct{bnNone, bnReLU, bnReLU6} {
				sdy, sdyx := groupGradSums(st, act, x, dy, y, c, mean)
				for k := range bnGroup {
					var a, b float64
					st.each(c+k, func(off int) {
						for i, v := range x[off : off+st.s] {
							d := [...]float32{dy[off+i], reluPass(dy[off+i], y[off+i]), relu6Pass(dy[off+i], y[off+i])}[act]
							a += float64(d)
							b += float64(d) * (float64(v) - mean[k])
						}
					})
					if math.Float64bits(a) != math.Float64bits(sdy[k]) || math.Float64bits(b) != math.Float64bits(sdyx[k]) {
						t.Fatalf("%v %s channel %d: %v %v, one channel's %v %v", shape, act.name(), c+k, sdy[k], sdyx[k], a, b)
					}
				}
			}
		}
	}
}
