//go:build !purego

package gemm

import "golang.org/x/sys/cpu"

//go:noescape
func kernel6x16(k int, a, b *float32, ldb int, c *float32, ldc int)

//go:noescape
func kernel12x32(k int, a, b *float32, ldb int, c *float32, ldc int, rows int, mask, load uint32)

// fmaPeak runs n rounds of 24 independent AVX-512 FMAs on registers: the
// CPU's FMA throughput, the baseline of BenchmarkKernel.
func fmaPeak(n int)

// The kernel in use, chosen once from what this CPU has: AVX-512 (12 x 32
// blocks), AVX2 with FMA (6 x 16), or plain Go (6 x 16).
var (
	hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ
	hasFMA    = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	mr, nr    = blockShape()
)

func blockShape() (int, int) {
	if hasAVX512 {
		return 12, 32
	}
	return 6, 16
}

// Kernel names the inner kernel this CPU runs.
func Kernel() string {
	switch {
	case hasAVX512:
		return "avx512 12x32"
	case hasFMA:
		return "avx2+fma 6x16"
	}
	return "go 6x16"
}

// overwrites says whether kernel and edgeKernel can set C to the product
// instead of adding it (without C being cleared first).
func overwrites() bool { return hasAVX512 }

// loadMask is the kernel's load mask: all columns to add to C, none to
// overwrite it.
func loadMask(set bool) uint32 {
	if set {
		return 0
	}
	return ^uint32(0)
}

// kernel adds the product of a packed mr x k panel of A and a k x nr panel
// of B (rows ldb apart) to the mr x nr block of C at c (row stride ldc), or
// sets the block to it when set is given (only where overwrites()).
func kernel(k int, a, b []float32, ldb int, c []float32, ldc int, set bool) {
	switch {
	case hasAVX512:
		kernel12x32(k, &a[0], &b[0], ldb, &c[0], ldc, mr, ^uint32(0), loadMask(set)) // every row and column
	case hasFMA:
		kernel6x16(k, &a[0], &b[0], ldb, &c[0], ldc)
	default:
		kernelGo(k, a, b, ldb, c, ldc)
	}
}

// edgeKernel adds the product of a packed panel of A and a panel of B to the
// first rows x cols of the block at c (or sets them to it, with set), where
// the CPU can mask (AVX-512: the same kernel with a smaller mask), and says
// whether it did: no copy through a buffer and no Go loop over the block.
func edgeKernel(k int, a, b []float32, ldb int, c []float32, ldc, rows, cols int, set bool) bool {
	if !hasAVX512 {
		return false
	}
	kernel12x32(k, &a[0], &b[0], ldb, &c[0], ldc, rows, uint32(uint64(1)<<cols-1), loadMask(set))
	return true
}
