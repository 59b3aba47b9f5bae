//go:build amd64 && !purego

package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// subnormal is a float32 below the smallest normal number (about 1.2e-38).
const subnormal = float32(3e-39)

// TestKernelsFlushDenormals: the assembly kernels treat subnormal inputs as
// zero and flush subnormal results to zero (MXCSR's DAZ and FTZ, set for
// the kernel's own run), so a product whose inputs are all subnormal is
// exactly zero (and as fast as any other, where the CPU would otherwise take
// a slow path for each such operation, about 100 times slower); a product
// of normal numbers is unchanged. After the kernel, Go's own arithmetic
// keeps its subnormals: the control register is restored.
func TestKernelsFlushDenormals(t *testing.T) {
	if !hasFMA && !hasAVX512 {
		t.Skip("no assembly kernel on this CPU")
	}
	m, n, k := 24, 64, 40
	a := Matrix{Data: make([]float32, m*k), Stride: k}
	b := Matrix{Data: make([]float32, k*n), Stride: n}
	for i := range a.Data {
		a.Data[i] = 0.5
	}
	for i := range b.Data {
		b.Data[i] = subnormal
	}
	c := make([]float32, m*n)
	Mul(1, m, n, k, a, b, c, n, false)
	for i, v := range c {
		if v != 0 {
			t.Fatalf("c[%d] = %g from subnormal inputs, want 0 (DAZ)", i, v)
		}
	}
	// Normal inputs whose products are subnormal: flushed to zero (FTZ).
	for i := range b.Data {
		b.Data[i] = 1e-37
	}
	for i := range a.Data {
		a.Data[i] = 1e-3
	}
	Mul(1, m, n, k, a, b, c, n, false)
	for i, v := range c {
		if v != 0 {
			t.Fatalf("c[%d] = %g, a sum of subnormal products, want 0 (FTZ)", i, v)
		}
	}
	// Go's arithmetic after the kernel: subnormals kept.
	x, y := float32(1e-30), float32(len(c))*1e-12 // not constants: computed at run time
	if p := x * y; p == 0 || p >= 0x1p-126 {
		t.Fatalf("1e-30 * %g = %g after the kernel: the CPU's control register was not restored", y, p)
	}
}

// TestKernel6x16: the AVX2 kernel against the textbook product, on CPUs
// with AVX-512 too (where Mul itself runs the 12 x 32 kernel).
func TestKernel6x16(t *testing.T) {
	if !hasFMA {
		t.Skip("no AVX2 and FMA on this CPU")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{0, 1, 7, 256} {
		const ldb, ldc = 19, 21
		a := make([]float32, 6*max(k, 1))
		b := make([]float32, max(k, 1)*ldb)
		c := make([]float32, 6*ldc)
		for i := range a {
			a[i] = rng.Float32()*2 - 1
		}
		for i := range b {
			b[i] = rng.Float32()*2 - 1
		}
		for i := range c {
			c[i] = rng.Float32()
		}
		orig := append([]float32(nil), c...)
		want := make([]float64, len(c))
		for i := 0; i < 6; i++ {
			for j := 0; j < 16; j++ {
				s := float64(c[i*ldc+j])
				for p := 0; p < k; p++ {
					s += float64(a[p*6+i]) * float64(b[p*ldb+j])
				}
				want[i*ldc+j] = s
			}
		}
		kernel6x16(k, &a[0], &b[0], ldb, &c[0], ldc)
		for i := 0; i < 6; i++ {
			for j := 0; j < ldc; j++ {
				got, w := float64(c[i*ldc+j]), want[i*ldc+j]
				if j >= 16 {
					if c[i*ldc+j] != orig[i*ldc+j] {
						t.Fatalf("k %d: c[%d][%d] outside the block changed", k, i, j)
					}
					continue
				}
				if math.Abs(got-w) > 1e-5*float64(k+1) {
					t.Fatalf("k %d: c[%d][%d] = %g, want %g", k, i, j, got, w)
				}
			}
		}
	}
}
