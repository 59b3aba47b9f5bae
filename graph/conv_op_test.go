package graph

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestConvFloat32MatchesFloat64: the float32 passes (packed GEMM, images
// grouped into one product) agree with the float64 ones, whose gradients
// the finite-difference checks cover, for strides, padding, 1x1 and
// rectangular kernels, and batches split into several groups.
func TestConvFloat32MatchesFloat64(t *testing.T) {
	geoms := []convGeom{
		{b: 3, c: 2, h: 7, w: 6, o: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		{b: 2, c: 3, h: 9, w: 9, o: 4, kh: 5, kw: 5, sh: 2, sw: 2, ph: 2, pw: 2},
		{b: 4, c: 8, h: 5, w: 5, o: 7, kh: 1, kw: 1, sh: 1, sw: 1},
		{b: 2, c: 4, h: 8, w: 7, o: 3, kh: 1, kw: 7, sh: 1, sw: 1, ph: 0, pw: 3},
		{b: 70, c: 1, h: 28, w: 28, o: 6, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2}, // several groups
		// 3x3 at stride 1 with padding 1, 0 and 2, odd output sizes, one
		// image (fewer than the cores), images in several products
		{b: 3, c: 20, h: 30, w: 30, o: 40, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		{b: 2, c: 16, h: 11, w: 9, o: 17, kh: 3, kw: 3, sh: 1, sw: 1},
		{b: 1, c: 17, h: 7, w: 8, o: 16, kh: 3, kw: 3, sh: 1, sw: 1, ph: 2, pw: 2},
		{b: 5, c: 16, h: 64, w: 64, o: 16, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		// maps smaller than the window: outer window columns wholly in the padding
		{b: 2, c: 3, h: 1, w: 1, o: 4, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		{b: 2, c: 3, h: 3, w: 2, o: 4, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		// dilated: at stride 1 and 2, with and without padding
		{b: 3, c: 5, h: 12, w: 11, o: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 2, pw: 2, dh: 2, dw: 2},
		{b: 2, c: 4, h: 13, w: 10, o: 3, kh: 3, kw: 2, sh: 2, sw: 2, dh: 3, dw: 2},
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for gi, g := range geoms {
		g.dh, g.dw = max(g.dh, 1), max(g.dw, 1)
		g.oh = (g.h+2*g.ph-g.dh*(g.kh-1)-1)/g.sh + 1
		g.ow = (g.w+2*g.pw-g.dw*(g.kw-1)-1)/g.sw + 1
		x64, w64, dy64 := unitValues(rng, int(prod(g.xShape()))), unitValues(rng, int(prod(g.wShape()))), unitValues(rng, int(prod(g.yShape())))
		for pass, in := range [][2][]float64{{x64, w64}, {w64, dy64}, {x64, dy64}} {
			want := make([]float64, prod((&convOp{pass: pass, g: g, s: &convScratch{}}).outShape()))
			convPass(nil, pass, g, &scratch[float64]{}, in[0], in[1], want, mul64)
			a, b := to32(in[0]), to32(in[1])
			got := make([]float32, len(want))
			for i := range got {
				got[i] = 7 // every element must be written
			}
			convPass(nil, pass, g, &scratch[float32]{}, a, b, got, mul32)
			for i := range want {
				if math.Abs(float64(got[i])-want[i]) > 1e-4*(1+math.Abs(want[i])) {
					t.Fatalf("geometry %d pass %d element %d: float32 %v, float64 %v", gi, pass, i, got[i], want[i])
				}
			}
		}
	}
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// TestSkippedInputGradient: a network whose first conv and pool skip the
// gradient of the images gets the same weight gradients as one that
// computes it.
func TestSkippedInputGradient(t *testing.T) {
	grads := func(inputGrad bool) [][]float32 {
		n, x := New(Config{Batch: 2, Input: [3]int{2, 6, 6}, Classes: 3, InputGrad: inputGrad})
		a := n.Conv("a", x, 3, K(3), Pad(1)).ReLU()
		b := n.Conv("b", n.MaxPool("p", x, 3, 1, 1), 2)
		out := n.Dense("out", n.Flatten("f", n.Concat("cat", a, b)), 3)
		if err := n.SetOutput(out); err != nil {
			t.Fatal(err)
		}
		if err := n.Init(3); err != nil {
			t.Fatal(err)
		}
		p, err := Compile(n)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		rng := rand.New(rand.NewPCG(1, 2))
		in := p.Input()
		for i := range in {
			in[i] = rng.Float32()
		}
		if err := p.SetLabels([]int{0, 2}); err != nil {
			t.Fatal(err)
		}
		if err := p.Step(rng); err != nil {
			t.Fatal(err)
		}
		g, err := p.Grads()
		if err != nil {
			t.Fatal(err)
		}
		copied := make([][]float32, len(g))
		for i := range g {
			copied[i] = append([]float32(nil), g[i]...)
		}
		return copied
	}
	with, without := grads(true), grads(false)
	for i := range with {
		for j := range with[i] {
			if with[i][j] != without[i][j] {
				t.Fatalf("parameter %d element %d: %v with the input gradient, %v without", i, j, with[i][j], without[i][j])
			}
		}
	}
}

// TestSeparablePooling: the row-then-column max pooling gives the values
// and argmax positions of the window-by-window one.
func TestSeparablePooling(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, c := range [][5]int{{3, 1, 1, 9, 9}, {3, 2, 1, 10, 7}, {2, 2, 0, 8, 8}, {3, 2, 0, 9, 11}, {5, 3, 2, 12, 12}} {
		k, st, pad, h, w := c[0], c[1], c[2], c[3], c[4]
		in := make([]float32, 2*3*h*w)
		for i := range in {
			in[i] = float32(rng.IntN(7)) // ties on purpose
		}
		o := convOpts{kh: k, kw: k, sh: st, sw: st, ph: pad, pw: pad}
		oh, ow := (h+2*pad-k)/st+1, (w+2*pad-k)/st+1
		a, b := newPoolOp(nil, []int{2, 3, h, w}, o, oh, ow, false), newPoolOp(nil, []int{2, 3, h, w}, o, oh, ow, false)
		a.ensureMask()
		b.ensureMask()
		outA, outB := make([]float32, 2*3*oh*ow), make([]float32, 2*3*oh*ow)
		poolSeparable(a, in, outA, 0, 6)
		poolWindows(b, in, outB, 0, 6)
		for i := range outA {
			if outA[i] != outB[i] || a.mask[i] != b.mask[i] {
				t.Fatalf("%v output %d: separable %v at %d, windowed %v at %d", c, i, outA[i], a.mask[i], outB[i], b.mask[i])
			}
		}
	}
}
