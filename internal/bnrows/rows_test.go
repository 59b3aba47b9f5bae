package bnrows

import (
	"math"
	"math/rand/v2"
	"testing"
)

// values returns n values: random ones of both signs and magnitudes, and
// among them NaN, ±Inf, ±0, 6 and values just around 0 and 6.
func values(rng *rand.Rand, n int) []float32 {
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0, float32(math.Copysign(0, -1)),
		6, math.Nextafter32(6, 7), math.Nextafter32(6, 5), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32}
	v := make([]float32, n)
	for i := range v {
		if rng.IntN(5) == 0 {
			v[i] = special[rng.IntN(len(special))]
		} else {
			v[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3)))
		}
	}
	return v
}

// TestKernelsMatchLoops: every kernel gives the plain loop's bits for
// every length from 0 to 70 (whole blocks and tails), on values with NaNs,
// infinities and signed zeros, and writes nothing past len(dst).
func TestKernelsMatchLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	const guard = 12345
	for n := 0; n <= 70; n++ {
		x, dy, y := values(rng, n), values(rng, n), values(rng, n)
		af := Affine[float32]{Hi: 0.75, Lo: 3e-8, A: 1.7, B: -0.2}
		gc := GradConsts[float32]{Hi: -0.5, Lo: 1e-8, G: 0.9, K: -0.03, K0: 0.001}
		cases := []struct {
			name       string
			fast, loop func(dst []float32)
		}{
			{"Normalize", func(d []float32) { Normalize(d, x, af) }, func(d []float32) { NormalizeLoop(d, x, af) }},
			{"NormalizeClamp(+Inf)", func(d []float32) { NormalizeClamp(d, x, af, float32(math.Inf(1))) },
				func(d []float32) { NormalizeClampLoop(d, x, af, float32(math.Inf(1))) }},
			{"NormalizeClamp(6)", func(d []float32) { NormalizeClamp(d, x, af, 6) }, func(d []float32) { NormalizeClampLoop(d, x, af, 6) }},
			{"Grad", func(d []float32) { Grad(d, dy, x, gc) }, func(d []float32) { GradLoop(d, dy, x, gc) }},
			{"GradReLU", func(d []float32) { GradReLU(d, dy, y, x, gc) }, func(d []float32) { GradReLULoop(d, dy, y, x, gc) }},
			{"GradReLU6", func(d []float32) { GradReLU6(d, dy, y, x, gc) }, func(d []float32) { GradReLU6Loop(d, dy, y, x, gc) }},
		}
		for _, c := range cases {
			got, want := make([]float32, n+1), make([]float32, n)
			got[n] = guard
			c.fast(got[:n])
			c.loop(want)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s, length %d, value %d: %v (%#x), the loop gives %v (%#x)", c.name, n, i, got[i],
						math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
			if got[n] != guard {
				t.Fatalf("%s, length %d: wrote past the end", c.name, n)
			}
		}
	}
}

// TestClampSemantics: the clamp is Go's min(max(v, 0), ceil) on the edge
// cases themselves: NaN stays NaN, -0 becomes +0, values above ceil
// become ceil.
func TestClampSemantics(t *testing.T) {
	in := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), -3, 2, 7, float32(math.Inf(1)), 1, 1}
	out := make([]float32, len(in))
	NormalizeClamp(out, in, Affine[float32]{A: 1}, 6)
	want := []float32{float32(math.NaN()), 0, 0, 2, 6, 6, 1, 1}
	for i := range want {
		if math.Float32bits(out[i]) != math.Float32bits(want[i]) && !(math.IsNaN(float64(out[i])) && math.IsNaN(float64(want[i]))) {
			t.Errorf("clamp of %v: %v (%#x), want %v", in[i], out[i], math.Float32bits(out[i]), want[i])
		}
	}
}

// BenchmarkNormalize: a 64-value run (an 8x8 map), kernel against loop.
func BenchmarkNormalize(b *testing.B) {
	x, dst := make([]float32, 64), make([]float32, 64)
	c := Affine[float32]{Hi: 1, A: 2}
	b.Run("kernel", func(b *testing.B) {
		for b.Loop() {
			Normalize(dst, x, c)
		}
	})
	b.Run("loop", func(b *testing.B) {
		for b.Loop() {
			NormalizeLoop(dst, x, c)
		}
	})
}
