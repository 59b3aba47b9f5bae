package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAddSameBits: Add gives the plain loop's bits for every length from 0
// to 80 (whole blocks, rounds of four and tails), float32 and float64,
// with zeros of both signs, infinities and NaN among the values.
func TestAddSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float64{math.Copysign(0, -1), 0, math.Inf(1), math.Inf(-1), math.NaN()}
	value := func() float64 {
		if rng.IntN(5) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.NormFloat64()
	}
	for n := 0; n <= 80; n++ {
		dst, src := make([]float32, n+1), make([]float32, n+1)
		d64, s64 := make([]float64, n), make([]float64, n)
		for i := 0; i <= n; i++ {
			dst[i], src[i] = float32(value()), float32(value())
		}
		for i := range d64 {
			d64[i], s64[i] = value(), value()
		}
		want, want64 := make([]float32, n+1), make([]float64, n)
		for i := range want {
			want[i] = dst[i]
			if i < n {
				want[i] += src[i]
			}
		}
		for i := range want64 {
			want64[i] = d64[i] + s64[i]
		}
		Add(dst[:n], src) // a longer src is fine; dst[n] stays
		Add(d64, s64)
		for i := range want {
			if math.Float32bits(dst[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n %d: value %d is %v, want %v", n, i, dst[i], want[i])
			}
		}
		for i := range want64 {
			if math.Float64bits(d64[i]) != math.Float64bits(want64[i]) {
				t.Fatalf("n %d float64: value %d is %v, want %v", n, i, d64[i], want64[i])
			}
		}
	}
}

// TestAddAllocatesNothing: the type switch on the run's pointer keeps Add
// free of allocations.
func TestAddAllocatesNothing(t *testing.T) {
	dst, src := make([]float32, 64), make([]float32, 64)
	if n := testing.AllocsPerRun(100, func() { Add(dst, src) }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}

// BenchmarkAdd times Add on a run of 64 values (an 8x8 plane) against the
// plain loop.
func BenchmarkAdd(b *testing.B) {
	dst, src := make([]float32, 64), make([]float32, 64)
	b.Run("vec", func(b *testing.B) {
		for b.Loop() {
			Add(dst, src)
		}
	})
	b.Run("loop", func(b *testing.B) {
		for b.Loop() {
			for i := range dst {
				dst[i] += src[i]
			}
		}
	})
}

// TestEven: Even picks src[2i] for every length from 0 to 40, float32
// (blocks of 8 and tails, src exactly as long as needed or longer) and
// float64.
func TestEven(t *testing.T) {
	for n := 0; n <= 40; n++ {
		for _, extra := range []int{0, 1, 7} {
			src := make([]float32, max(0, 2*n-1)+extra)
			for i := range src {
				src[i] = float32(i) + 0.5
			}
			dst := make([]float32, n+1)
			dst[n] = -1
			Even(dst[:n], src)
			for i := 0; i < n; i++ {
				if dst[i] != src[2*i] {
					t.Fatalf("n %d, src %d: dst[%d] = %v, want %v", n, len(src), i, dst[i], src[2*i])
				}
			}
			if dst[n] != -1 {
				t.Fatalf("n %d: wrote past the end", n)
			}
		}
		srcInt, dstInt := make([]int32, max(0, 2*n-1)), make([]int32, n)
		for i := range srcInt {
			srcInt[i] = int32(3*i - 7)
		}
		Even(dstInt, srcInt)
		for i := range dstInt {
			if dstInt[i] != srcInt[2*i] {
				t.Fatalf("int32 n %d: dst[%d] = %v", n, i, dstInt[i])
			}
		}
		src64, dst64 := make([]float64, 2*n), make([]float64, n)
		for i := range src64 {
			src64[i] = float64(i)
		}
		Even(dst64, src64)
		for i := range dst64 {
			if dst64[i] != float64(2*i) {
				t.Fatalf("float64 n %d: dst[%d] = %v", n, i, dst64[i])
			}
		}
	}
}

// TestMaxTaps: the kernels give the plain loop's values and indices (the
// first largest tap, ties and -0 against +0 included) for lengths 0 to 40,
// 1 to 4 taps, steps 1 and 7, indices computed or read.
func TestMaxTaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	values := []float32{-2, float32(math.Copysign(0, -1)), 0, 1, 3}
	for n := 0; n <= 40; n++ {
		for k := 1; k <= 4; k++ {
			for _, step := range []int{1, 7} {
				m := n + (k-1)*step
				src, args := make([]float32, m), make([]int32, m)
				for i := range src {
					src[i], args[i] = values[rng.IntN(len(values))], int32(1000+i)
				}
				for _, a := range [][]int32{nil, args} {
					dst, idx := make([]float32, n), make([]int32, n)
					MaxTaps(dst, idx, src, a, k, step, 50)
					for j := 0; j < n; j++ {
						at := j
						for tp := 1; tp < k; tp++ {
							if src[j+tp*step] > src[at] {
								at = j + tp*step
							}
						}
						want := int32(50 + at)
						if a != nil {
							want = args[at]
						}
						if math.Float32bits(dst[j]) != math.Float32bits(src[at]) || idx[j] != want {
							t.Fatalf("n %d k %d step %d args %v: %d is %v at %d, want %v at %d", n, k, step, a != nil, j, dst[j], idx[j], src[at], want)
						}
					}
				}
			}
		}
	}
}

// TestHasNaN finds a NaN at every position of runs of 1 to 40 values.
func TestHasNaN(t *testing.T) {
	for n := 0; n <= 40; n++ {
		x := make([]float32, n)
		if HasNaN(x) {
			t.Fatalf("n %d: a NaN in zeros", n)
		}
		for i := range x {
			x[i] = float32(math.NaN())
			if !HasNaN(x) {
				t.Fatalf("n %d: the NaN at %d missed", n, i)
			}
			x[i] = float32(math.Inf(1))
		}
	}
}

// TestReLU: ReLU and ReLUGrad give the plain loops' bits (Go's max: -0 to
// +0, a NaN's sign cleared; the gradient +0 where y <= 0) for lengths 0 to
// 40, NaNs of both signs among the values.
func TestReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	special := []float32{float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
		math.Float32frombits(0xffc00000), math.Float32frombits(0xff800001), math.Float32frombits(0x7fc12345)} // NaNs of either sign, quiet and signalling
	for n := 0; n <= 40; n++ {
		x, dy := make([]float32, n), make([]float32, n)
		for i := range x {
			x[i], dy[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			if rng.IntN(3) == 0 {
				x[i] = special[rng.IntN(len(special))]
			}
			if rng.IntN(5) == 0 {
				dy[i] = special[rng.IntN(len(special))]
			}
		}
		got, grad := make([]float32, n), make([]float32, n)
		ReLU(got, x)
		ReLUGrad(grad, dy, x)
		for i := range x {
			want := max(x[i], 0)
			if math.Float32bits(got[i]) != math.Float32bits(want) {
				t.Fatalf("n %d: ReLU(%v) = %v, want %v", n, x[i], got[i], want)
			}
			wantGrad := [2]float32{0, dy[i]}[b2i(!(x[i] <= 0))]
			if math.Float32bits(grad[i]) != math.Float32bits(wantGrad) {
				t.Fatalf("n %d: gradient at y %v, dy %v: %v, want %v", n, x[i], dy[i], grad[i], wantGrad)
			}
		}
	}
}

// TestSumTaps: the kernel gives the plain loop's bits (the taps added in
// order from +0, then divided) for lengths 0 to 40, with zeros of both
// signs among the values, divided by 9 and by 1.
func TestSumTaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	offs := []int{0, 1, 2, 7, 8, 9, 14, 15, 16}
	for n := 0; n <= 40; n++ {
		src := make([]float32, n+16)
		for i := range src {
			src[i] = float32(rng.NormFloat64())
			if rng.IntN(4) == 0 {
				src[i] = float32(math.Copysign(0, -1))
			}
		}
		for _, div := range []float32{9, 1} {
			dst := make([]float32, n)
			SumTaps(dst, src, offs, div)
			for j := range dst {
				var acc float32
				for _, o := range offs {
					acc += src[j+o]
				}
				if want := acc / div; math.Float32bits(dst[j]) != math.Float32bits(want) {
					t.Fatalf("n %d div %v: %d is %v, want %v", n, div, j, dst[j], want)
				}
			}
		}
	}
}
