//go:build !purego

package winograd

import "golang.org/x/sys/cpu"

// hasAVX512 says whether the F(2x2, 5x5) kernels run in assembly here.
var hasAVX512 = cpu.X86.HasAVX512F

//go:noescape
func input5x16(n int, s0, s1, s2, s3, s4, s5, d *float32, stride int)

//go:noescape
func output5x16(n int, m0, m1, m2, m3, m4, m5, y0, y1 *float32)

// input5Fast does all n values of Input5 with AVX-512 (its last block
// masked) and returns n, or 0 without AVX-512. Its callers have checked
// the bounds.
func input5Fast(n int, s0, s1, s2, s3, s4, s5, d []float32, stride int) int {
	if !hasAVX512 {
		return 0
	}
	input5x16(n, &s0[0], &s1[0], &s2[0], &s3[0], &s4[0], &s5[0], &d[0], stride)
	return n
}

// output5Fast does all n values of Output5 with AVX-512.
func output5Fast(n int, m0, m1, m2, m3, m4, m5, y0, y1 []float32) int {
	if !hasAVX512 {
		return 0
	}
	output5x16(n, &m0[0], &m1[0], &m2[0], &m3[0], &m4[0], &m5[0], &y0[0], &y1[0])
	return n
}

//go:noescape
func grad5x16(n int, z0, z1, d *float32, stride int)

// grad5Fast does all n values of Grad5 with AVX-512.
func grad5Fast(n int, z0, z1, d []float32, stride int) int {
	if !hasAVX512 {
		return 0
	}
	grad5x16(n, &z0[0], &z1[0], &d[0], stride)
	return n
}
