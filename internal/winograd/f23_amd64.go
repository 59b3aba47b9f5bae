//go:build !purego

package winograd

//go:noescape
func input3x16(n int, s0, s1, s2, s3, d *float32, stride int)

//go:noescape
func grad3x16(n int, z0, z1, d *float32, stride int)

// input3Fast does all n values of Input3 with AVX-512 (its last block
// masked) and returns n, or 0 without AVX-512. Its callers have checked
// the bounds.
func input3Fast(n int, s0, s1, s2, s3, d []float32, stride int) int {
	if !hasAVX512 {
		return 0
	}
	input3x16(n, &s0[0], &s1[0], &s2[0], &s3[0], &d[0], stride)
	return n
}

// grad3Fast does all n values of Grad3 with AVX-512.
func grad3Fast(n int, z0, z1, d []float32, stride int) int {
	if !hasAVX512 {
		return 0
	}
	grad3x16(n, &z0[0], &z1[0], &d[0], stride)
	return n
}
