//go:build !purego

package gemm

import "golang.org/x/sys/cpu"

//go:noescape
func kernel6x16(k int, a, b, c *float32, ldc int)

// hasFMA says whether this CPU runs the assembly kernel (AVX2 and FMA).
var hasFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernel adds the product of a packed 6 x k panel of A and a packed k x 16
// panel of B to the 6 x 16 block of C at c (row stride ldc).
func kernel(k int, a, b, c []float32, ldc int) {
	if hasFMA {
		kernel6x16(k, &a[0], &b[0], &c[0], ldc)
		return
	}
	kernelGo(k, a, b, c, ldc)
}
