package gemm

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

func randMatrix(rng *rand.Rand, rows, cols int, trans bool) Matrix {
	stride := cols + rng.IntN(3) // a stride wider than the matrix, sometimes
	r, c := rows, cols
	if trans {
		r, c = cols, rows
		stride = c + rng.IntN(3)
	}
	d := make([]float32, r*stride)
	for i := range d {
		d[i] = rng.Float32()*2 - 1
	}
	return Matrix{Data: d, Stride: stride, Trans: trans}
}

// TestMulMatchesNaive: every shape class (edges of the 6 x 16 kernel, of
// the tiles and of the k blocks), every transpose, with and without
// accumulation, against float64 sums.
func TestMulMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := [][3]int{{1, 1, 1}, {6, 16, 1}, {7, 17, 3}, {5, 15, 300}, {96, 256, 256}, {97, 257, 513}, {200, 33, 70}, {3, 700, 25}}
	for _, s := range sizes {
		m, n, k := s[0], s[1], s[2]
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				a, b := randMatrix(rng, m, k, ta), randMatrix(rng, k, n, tb)
				ldc := n + 1
				c := make([]float32, m*ldc)
				for i := range c {
					c[i] = 1
				}
				for _, acc := range []bool{false, true} {
					Mul(0, m, n, k, a, b, c, ldc, acc)
					want := naive(m, n, k, a, b)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							w := want[i*n+j]
							if acc {
								w *= 2 // the second call adds the product again
							}
							if got := float64(c[i*ldc+j]); math.Abs(got-w) > 1e-4*math.Sqrt(float64(k))*2 {
								t.Fatalf("%dx%dx%d transA %v transB %v accumulate %v: C[%d][%d] = %v, want %v", m, n, k, ta, tb, acc, i, j, got, w)
							}
						}
						if c[i*ldc+n] != 1 {
							t.Fatalf("wrote past row %d", i)
						}
					}
				}
			}
		}
	}
}

// TestMulDeterministic: the same bits with one goroutine or several.
func TestMulDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, n, k := 300, 500, 700
	a, b := randMatrix(rng, m, k, false), randMatrix(rng, k, n, true)
	one, many := make([]float32, m*n), make([]float32, m*n)
	old := runtime.GOMAXPROCS(1)
	Mul(0, m, n, k, a, b, one, n, false)
	runtime.GOMAXPROCS(4)
	Mul(0, m, n, k, a, b, many, n, false)
	runtime.GOMAXPROCS(old)
	for i := range one {
		if math.Float32bits(one[i]) != math.Float32bits(many[i]) {
			t.Fatalf("element %d: %v with 1 goroutine, %v with 4", i, one[i], many[i])
		}
	}
}

// TestPortableKernel: the Go kernel agrees with the one in use.
func TestPortableKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	k := 37
	a, b := make([]float32, mr*k), make([]float32, nr*k)
	for i := range a {
		a[i] = rng.Float32()
	}
	for i := range b {
		b[i] = rng.Float32()
	}
	c1, c2 := make([]float32, mr*nr), make([]float32, mr*nr)
	t.Logf("kernel %s", Kernel())
	kernel(k, a, b, nr, c1, nr, false)
	kernelGo(k, a, b, nr, c2, nr)
	for i := range c1 {
		if math.Abs(float64(c1[i]-c2[i])) > 1e-4 {
			t.Fatalf("element %d: %v and %v", i, c1[i], c2[i])
		}
	}
}

// TestEdgeKernel: the masked kernel for edge blocks adds (or, set, writes)
// the same bits as the full kernel does through a buffer, and touches
// nothing outside its rows x cols.
func TestEdgeKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	k := 29
	a, b := make([]float32, mr*k), make([]float32, nr*k)
	for i := range a {
		a[i] = rng.Float32() - 0.5
	}
	for i := range b {
		b[i] = rng.Float32() - 0.5
	}
	for _, set := range []bool{false, true} {
		for _, rc := range [][2]int{{1, 1}, {mr - 1, nr}, {mr, nr - 1}, {2, 25}, {mr, 3}, {mr, nr}} {
			rows, cols := rc[0], rc[1]
			ldc := nr + 3
			got, want := make([]float32, mr*ldc), make([]float32, mr*ldc)
			for i := range got {
				got[i] = float32(i)
				want[i] = float32(i)
			}
			if !edgeKernel(k, a, b, nr, got, ldc, rows, cols, set) {
				t.Skipf("kernel %s has no masked edge kernel", Kernel())
			}
			e := make([]float32, mr*nr)
			kernel(k, a, b, nr, e, nr, false)
			for r := 0; r < rows; r++ {
				for j := 0; j < cols; j++ {
					if set {
						want[r*ldc+j] = e[r*nr+j]
					} else {
						want[r*ldc+j] += e[r*nr+j]
					}
				}
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%d x %d block, set %v: element %d (row %d) is %v, want %v", rows, cols, set, i, i/ldc, got[i], want[i])
				}
			}
		}
	}
}

// TestMulPacked: a product with A packed once gives Mul's bits, for every
// shape class and transpose, setting C (which holds NaN before, so any read
// of it shows) or adding to it; and setting C gives the bits of clearing it
// and adding.
func TestMulPacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var p Packed
	for _, s := range [][3]int{{1, 1, 1}, {7, 17, 3}, {13, 40, 300}, {97, 257, 513}, {200, 33, 70}, {3, 700, 25}} {
		m, n, k := s[0], s[1], s[2]
		for _, ta := range []bool{false, true} {
			a, b := randMatrix(rng, m, k, ta), randMatrix(rng, k, n, rng.IntN(2) == 0)
			p.Pack(1+rng.IntN(3), m, k, a)
			for _, acc := range []bool{false, true} {
				ldc := n + 2
				want, got := make([]float32, m*ldc), make([]float32, m*ldc)
				for i := range got {
					got[i] = float32(math.NaN())
					want[i] = got[i]
					if acc {
						got[i], want[i] = float32(i), float32(i)
					}
				}
				if !acc { // the reference: cleared, then added
					for i := 0; i < m; i++ {
						clear(want[i*ldc : i*ldc+n])
					}
				}
				Mul(0, m, n, k, a, b, want, ldc, true)
				MulPacked(0, n, &p, b, got, ldc, acc)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(math.IsNaN(float64(got[i])) && math.IsNaN(float64(want[i]))) {
						t.Fatalf("%dx%dx%d transA %v accumulate %v: element %d is %v, want %v", m, n, k, ta, acc, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// BenchmarkMul1024 measures the GEMM on large square matrices: the
// machine's practical peak for convnets (GFLOP/s = 2 m n k / time).
func BenchmarkMul1024(b *testing.B) {
	benchMul(b, 1024, 1024, 1024)
}

// BenchmarkMulConv3x3 is the forward GEMM of the 3x3 conv 192 -> 256 at
// 28x28 for one image.
func BenchmarkMulConv3x3(b *testing.B) { benchMul(b, 256, 784, 1728) }

func benchMul(b *testing.B, m, n, k int) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, bm := randMatrix(rng, m, k, false), randMatrix(rng, k, n, false)
	c := make([]float32, m*n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Mul(0, m, n, k, a, bm, c, n, false)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// naive is the textbook triple loop, in float64.
func naive(m, n, k int, a, b Matrix) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += float64(a.at(i, p)) * float64(b.at(p, j))
			}
			out[i*n+j] = s
		}
	}
	return out
}

// BenchmarkMulPackedImage is one worker's forward product of a convolution
// pass: weights packed once (256 x 1728, the 3x3 conv 192 -> 256), times
// the columns of two 28x28 images (1728 x 1568), as convnets runs it with
// the images dealt out to the workers.
func BenchmarkMulPackedImage(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	m, n, k := 256, 1568, 1728
	a, bm := randMatrix(rng, m, k, false), randMatrix(rng, k, n, false)
	var p Packed
	p.Pack(1, m, k, a)
	c := make([]float32, m*n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		MulPacked(1, n, &p, bm, c, n, false)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// TestMulAllocatesNothing: a product on one worker allocates nothing once
// its packing space exists (a convolution runs thousands a step, one per
// image and layer).
func TestMulAllocatesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, n, k := 48, 196, 288
	a, bm := randMatrix(rng, m, k, false), randMatrix(rng, k, n, false)
	c := make([]float32, m*n)
	var p Packed
	p.Pack(1, m, k, a)
	Mul(1, m, n, k, a, bm, c, n, false)
	if allocs := testing.AllocsPerRun(50, func() { Mul(1, m, n, k, a, bm, c, n, false) }); allocs > 0 {
		t.Errorf("Mul on one worker: %v allocations per call", allocs)
	}
	if allocs := testing.AllocsPerRun(50, func() { MulPacked(1, n, &p, bm, c, n, true) }); allocs > 0 {
		t.Errorf("MulPacked on one worker: %v allocations per call", allocs)
	}
}
