//go:build !purego

package gemm

import "golang.org/x/sys/cpu"

//go:noescape
func transpose4(n int, src *float32, lds int, dst *float32, ldd int)

//go:noescape
func transpose8(n int, src *float32, lds int, dst *float32, ldd int)

var hasAVX = cpu.X86.HasAVX

// transposeStrip writes 4 rows of src (lds apart), 4*n values each, as 4*n
// rows of 4 values in dst (ldd apart): dst[p*ldd+r] = src[r*lds+p].
func transposeStrip(n int, src []float32, lds int, dst []float32, ldd int) {
	if n <= 0 {
		return
	}
	_, _ = src[3*lds+4*n-1], dst[(4*n-1)*ldd+3] // bounds, checked once
	if !hasAVX {
		transposeStripGo(n, src, lds, dst, ldd)
		return
	}
	transpose4(n, &src[0], lds, &dst[0], ldd)
}

// transposeStrip8 writes 8 rows of src (lds apart), 8*n values each, as
// 8*n rows of 8 values in dst (ldd apart); it reports false, writing
// nothing, on CPUs without AVX.
func transposeStrip8(n int, src []float32, lds int, dst []float32, ldd int) bool {
	if !hasAVX {
		return false
	}
	if n > 0 {
		_, _ = src[7*lds+8*n-1], dst[(8*n-1)*ldd+7] // bounds, checked once
		transpose8(n, &src[0], lds, &dst[0], ldd)
	}
	return true
}
