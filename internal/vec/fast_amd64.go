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
