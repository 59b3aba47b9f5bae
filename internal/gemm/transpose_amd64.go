//go:build !purego

package gemm

import "golang.org/x/sys/cpu"

//go:noescape
func transpose4(n int, src *float32, lds int, dst *float32, ldd int)

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
