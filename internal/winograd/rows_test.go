package winograd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRowsMatchGo: every kernel gives the plain Go loops' bits for every
// length from 0 to 40 (whole blocks of 8 and the tails after them), on
// values spread over many magnitudes, and writes nothing past its end.
func TestRowsMatchGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vals := func(n int) []float32 { return spread(rng, n, 8) } // 8 guards past the end
	same := func(name string, n int, got, want []float32) { t.Helper(); sameBits(t, name, n, got, want) }
	for n := 0; n <= 40; n++ {
		m := [4][]float32{vals(n), vals(n), vals(n), vals(n)}
		s0, s1 := vals(n), vals(n)
		w0, w1 := append([]float32(nil), s0...), append([]float32(nil), s1...)
		OutputCols(m[0][:n], m[1][:n], m[2][:n], m[3][:n], s0[:n], s1[:n])
		OutputColsLoop(0, n, m[0], m[1], m[2], m[3], w0, w1)
		same("OutputCols s0", n, s0, w0)
		same("OutputCols s1", n, s1, w1)

		row := vals(n)
		wrow := append([]float32(nil), row...)
		OutputRow(n, m[0], m[1], m[2], m[3], row)
		OutputRowLoop(0, n, m[0], m[1], m[2], m[3], wrow)
		same("OutputRow", n, row, wrow)
	}
}

// TestF25MatchesGo: the F(2x2, 5x5) kernels give the plain Go loops' bits
// for every length from 0 to 40 (whole blocks of 16 and masked tails), and
// write nothing past their ends (guards after each run, and between d's
// runs).
func TestF25MatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vals := func(n int) []float32 { return spread(rng, n, 16) }
	same := func(name string, n int, got, want []float32) { t.Helper(); sameBits(t, name, n, got, want) }
	for n := 0; n <= 40; n++ {
		var s [6][]float32
		for k := range s {
			s[k] = vals(n)
		}
		stride := n + 5
		d := vals(6 * stride)
		want := append([]float32(nil), d...)
		Input5(n, s[0], s[1], s[2], s[3], s[4], s[5], d, stride)
		Input5Loop(0, n, s[0], s[1], s[2], s[3], s[4], s[5], want, stride)
		same("Input5", n, d, want)

		y0, y1 := vals(n), vals(n)
		w0, w1 := append([]float32(nil), y0...), append([]float32(nil), y1...)
		Output5(n, s[0], s[1], s[2], s[3], s[4], s[5], y0, y1)
		Output5Loop(0, n, s[0], s[1], s[2], s[3], s[4], s[5], w0, w1)
		same("Output5 y0", n, y0, w0)
		same("Output5 y1", n, y1, w1)

		g := vals(6 * stride)
		wg := append([]float32(nil), g...)
		Grad5(n, s[0], s[1], g, stride)
		Grad5Loop(0, n, s[0], s[1], wg, stride)
		same("Grad5", n, g, wg)
	}
}

// spread returns n values spread over many magnitudes, then guards more.
func spread(rng *rand.Rand, n, guards int) []float32 {
	out := make([]float32, n+guards)
	for i := range out {
		out[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3)))
	}
	return out
}

// sameBits fails t unless got and want hold the same bits throughout.
func sameBits(t *testing.T, name string, n int, got, want []float32) {
	t.Helper()
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s, length %d, value %d: %v, want %v", name, n, i, got[i], want[i])
		}
	}
}

// TestF23MatchesGo: the F(2x2, 3x3) run kernels give the plain Go loops'
// bits (zeros' signs included) for every length from 0 to 40, with d's
// runs apart, back to back and overlapping, and write nothing past their
// ends.
func TestF23MatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	vals := func(n int) []float32 {
		v := spread(rng, n, 16)
		for i := range n / 7 { // signed zeros
			v[7*i] = float32(math.Copysign(0, float64(v[7*i])))
		}
		return v
	}
	same := func(name string, n int, got, want []float32) { t.Helper(); sameBits(t, name, n, got, want) }
	for n := 0; n <= 40; n++ {
		var s [4][]float32
		for k := range s {
			s[k] = vals(n)
		}
		for _, stride := range []int{n + 5, n, n / 2} { // runs apart, back to back, overlapping (the loop's)
			d := vals(4*stride + n)
			want := append([]float32(nil), d...)
			Input3(n, s[0], s[1], s[2], s[3], d, stride)
			Input3Loop(0, n, s[0], s[1], s[2], s[3], want, stride)
			same("Input3", n, d, want)

			g := vals(4*stride + n)
			wg := append([]float32(nil), g...)
			Grad3(n, s[0], s[1], g, stride)
			Grad3Loop(0, n, s[0], s[1], wg, stride)
			same("Grad3", n, g, wg)
		}
	}
}
