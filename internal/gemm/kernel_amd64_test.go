//go:build !purego

package gemm

import "testing"

// BenchmarkKernel times the AVX-512 kernel on a 12 x 256 by 256 x 32
// block held in cache, beside the CPU's FMA throughput (fmaPeak: the same
// FMAs on registers alone), so that the kernel's share of the peak is
// read from one command: go test ./internal/gemm -bench Kernel.
func BenchmarkKernel(b *testing.B) {
	if !hasAVX512 {
		b.Skip("no AVX-512")
	}
	const k = 256
	a, bb, c := make([]float32, mr*k), make([]float32, k*32), make([]float32, mr*32)
	b.Run("12x32", func(b *testing.B) {
		for b.Loop() {
			kernel12x32(k, &a[0], &bb[0], 32, &c[0], 32, mr, ^uint32(0), 0)
		}
		b.ReportMetric(float64(2*mr*32*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	b.Run("fma-peak", func(b *testing.B) {
		for b.Loop() {
			fmaPeak(k)
		}
		b.ReportMetric(float64(2*24*16*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}
