//go:build !amd64 || purego

package gemm

const mr, nr = 6, 16

// Kernel names the inner kernel this build runs.
func Kernel() string { return "go 6x16" }

// overwrites: this build's kernel always adds to C.
func overwrites() bool { return false }

func kernel(k int, a, b []float32, ldb int, c []float32, ldc int, _ bool) {
	kernelGo(k, a, b, ldb, c, ldc)
}

// edgeKernel: this build has no masked kernel; edge blocks go through a
// buffer.
func edgeKernel(k int, a, b []float32, ldb int, c []float32, ldc, rows, cols int, _ bool) bool {
	return false
}
