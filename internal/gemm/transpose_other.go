//go:build !amd64 || purego

package gemm

// transposeStrip writes 4 rows of src (lds apart), 4*n values each, as 4*n
// rows of 4 values in dst (ldd apart): dst[p*ldd+r] = src[r*lds+p].
func transposeStrip(n int, src []float32, lds int, dst []float32, ldd int) {
	transposeStripGo(n, src, lds, dst, ldd)
}

// transposeStrip8 has no fast path here: transposeRows goes four rows at a
// time.
func transposeStrip8(n int, src []float32, lds int, dst []float32, ldd int) bool { return false }
