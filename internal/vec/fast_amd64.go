//go:build !purego

package vec

import "golang.org/x/sys/cpu"

var hasAVX2 = cpu.X86.HasAVX2

// add8 adds n8 blocks of 8 values of src to dst.
//
//go:noescape
func add8(n8 int, dst, src *float32)

// addFast does Add's values in whole blocks of 8 and returns how many it
// did (none without AVX2). len(src) >= len(dst).
func addFast(dst, src []float32) int {
	n8 := len(dst) / 8
	if !hasAVX2 || n8 == 0 {
		return 0
	}
	_ = src[8*n8-1]
	add8(n8, &dst[0], &src[0])
	return 8 * n8
}

// even8 copies every other value of 16*n8 values of src into 8*n8 of dst.
//
//go:noescape
func even8(n8 int, dst, src *float32)

// evenFast does Even's values in whole blocks of 8, reading 16 values of
// src for each, and returns how many it did (none without AVX2).
func evenFast(dst, src []float32) int {
	n8 := min(len(dst), len(src)/2) / 8
	if !hasAVX2 || n8 == 0 {
		return 0
	}
	_ = src[16*n8-1]
	even8(n8, &dst[0], &src[0])
	return 8 * n8
}

// maxTaps8 is MaxTaps for 8*n8 values of dst with computed indices;
// maxTapsArgs8 with indices from args. step is in values.
//
//go:noescape
func maxTaps8(n8 int, dst *float32, idx *int32, src *float32, k, step int, base int32)

//go:noescape
func maxTapsArgs8(n8 int, dst *float32, idx *int32, src *float32, args *int32, k, step int)

// maxTapsFast does MaxTaps's values in whole blocks of 8 and returns how
// many it did (none without AVX2). MaxTaps has checked the bounds.
func maxTapsFast(dst []float32, idx []int32, src []float32, args []int32, k, step int, base int32) int {
	n8 := len(dst) / 8
	if !hasAVX2 || n8 == 0 || k < 1 {
		return 0
	}
	if args == nil {
		maxTaps8(n8, &dst[0], &idx[0], &src[0], k, step, base)
	} else {
		maxTapsArgs8(n8, &dst[0], &idx[0], &src[0], &args[0], k, step)
	}
	return 8 * n8
}

// hasNaN8 says whether 8*n8 values of x hold a NaN.
//
//go:noescape
func hasNaN8(n8 int, x *float32) bool

// hasNaNFast checks whole blocks of 8 of x and returns how many values it
// checked and whether it found a NaN.
func hasNaNFast(x []float32) (int, bool) {
	n8 := len(x) / 8
	if !hasAVX2 || n8 == 0 {
		return 0, false
	}
	return 8 * n8, hasNaN8(n8, &x[0])
}

// relu8 and reluGrad8 are ReLU and ReLUGrad for 8*n8 values.
//
//go:noescape
func relu8(n8 int, dst, x *float32)

//go:noescape
func reluGrad8(n8 int, dst, dy, y *float32)

// reluFast does ReLU's values in whole blocks of 8 and returns how many
// it did (none without AVX2).
func reluFast(dst, x []float32) int {
	n8 := len(dst) / 8
	if !hasAVX2 || n8 == 0 {
		return 0
	}
	_ = x[8*n8-1]
	relu8(n8, &dst[0], &x[0])
	return 8 * n8
}

// reluGradFast does ReLUGrad's values in whole blocks of 8.
func reluGradFast(dst, dy, y []float32) int {
	n8 := len(dst) / 8
	if !hasAVX2 || n8 == 0 {
		return 0
	}
	_, _ = dy[8*n8-1], y[8*n8-1]
	reluGrad8(n8, &dst[0], &dy[0], &y[0])
	return 8 * n8
}

// sumTaps8 is SumTaps for 8*n8 values of dst, k offsets at offs.
//
//go:noescape
func sumTaps8(n8 int, dst, src *float32, offs *int, k int, div float32)

// sumTapsFast does SumTaps's values in whole blocks of 8 and returns how
// many it did (none without AVX2). SumTaps has checked the bounds.
func sumTapsFast(dst, src []float32, offs []int, div float32) int {
	n8 := len(dst) / 8
	if !hasAVX2 || n8 == 0 || len(offs) == 0 {
		return 0
	}
	sumTaps8(n8, &dst[0], &src[0], &offs[0], len(offs), div)
	return 8 * n8
}
