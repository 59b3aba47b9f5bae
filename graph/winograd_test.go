package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestWinogradMatchesDirect: F(2x2, 3x3) and F(2x2, 5x5) give the forward,
// input-gradient and weight-gradient passes of im2col to rounding in
// float64 (odd and even
// maps, every padding, partial tiles, several images a block, images cut
// into bands), in float32 stay within a few float32 units of the float64
// result and within a small multiple of im2col's own float32 error, and
// give the same bits on one worker or two.
func TestWinogradMatchesDirect(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // two workers even on one core
	geoms3 := []convGeom{
		{b: 2, c: 3, h: 6, w: 6, o: 4, ph: 1},
		{b: 3, c: 5, h: 7, w: 9, o: 2, ph: 1},
		{b: 1, c: 2, h: 5, w: 4, o: 3, ph: 0},
		{b: 2, c: 4, h: 3, w: 5, o: 3, ph: 2},
		{b: 2, c: 16, h: 1, w: 1, o: 17, ph: 1},
		{b: 2, c: 24, h: 14, w: 14, o: 20, ph: 1},
		{b: 3, c: 64, h: 30, w: 29, o: 72, ph: 1}, // several blocks: bands of tile rows
		{b: 7, c: 8, h: 28, w: 27, o: 6, ph: 1},
		{b: 1, c: 64, h: 60, w: 60, o: 64, ph: 1}, // bands in the weight gradient's blocks and transforms
	}
	geoms5 := []convGeom{
		{b: 2, c: 3, h: 8, w: 8, o: 4, ph: 2},
		{b: 3, c: 5, h: 9, w: 7, o: 2, ph: 1},
		{b: 1, c: 2, h: 6, w: 5, o: 3, ph: 0},
		{b: 2, c: 4, h: 3, w: 5, o: 3, ph: 4},
		{b: 2, c: 3, h: 4, w: 6, o: 3, ph: 3},
		{b: 2, c: 16, h: 1, w: 1, o: 17, ph: 2},
		{b: 2, c: 24, h: 14, w: 14, o: 20, ph: 2},
		{b: 3, c: 64, h: 30, w: 29, o: 72, ph: 2},
		{b: 7, c: 8, h: 28, w: 27, o: 6, ph: 2},   // the weight gradient in blocks of 4 and 3 images
		{b: 9, c: 200, h: 4, w: 4, o: 200, ph: 2}, // forward blocks of 7 and 2 images
		{b: 2, c: 3, h: 60, w: 60, o: 2, ph: 2},   // the weight gradient in bands of tile rows
		{b: 1, c: 64, h: 48, w: 48, o: 64, ph: 2}, // its channels-last transforms in bands
	}
	// float32 error bounds, in float32 units of the result's scale and as
	// a multiple of im2col's: F(2x2, 5x5)'s transforms have coefficients
	// up to 5 and fractions down to 1/30 and lose three to five bits more
	// than im2col (measured: up to 28 units, on 200 channels, and 16
	// times im2col's). The weight gradients, sums over every tile of every
	// image, have twice the bound in units and 1.5 times the multiple
	// (measured: 3x3 up to 6.5 units and 2.1 times im2col's, 5x5 up to 45
	// units and 23 times).
	bounds := map[int][2]float64{3: {8, 2}, 5: {32, 24}}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, k := range []int{3, 5} {
		geoms := map[int][]convGeom{3: geoms3, 5: geoms5}[k]
		for gi, g := range geoms {
			g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pw = k, k, 1, 1, 1, 1, g.ph
			g.oh, g.ow = g.h+2*g.ph-k+1, g.w+2*g.pw-k+1
			checkWinograd(t, fmt.Sprintf("%dx%d geometry %d", k, k, gi), g, rng, bounds[k])
		}
	}
}

// checkWinograd runs one geometry's Winograd passes for TestWinogradMatchesDirect.
func checkWinograd(t *testing.T, name string, g convGeom, rng *rand.Rand, bound [2]float64) {
	t.Helper()
	x, w, dy := unitValues(rng, int(prod(g.xShape()))), unitValues(rng, int(prod(g.wShape()))), unitValues(rng, int(prod(g.yShape())))
	passes := [][2][]float64{{x, w}, {w, dy}, {x, dy}} // forward, input gradient, weight gradient
	wino := func(tm *team, pass int, s any, in0, in1, out any) {
		switch s := s.(type) {
		case *scratch[float64]:
			if pass == convGradFilter {
				winogradFilterGrad(tm, g, s, in0.([]float64), in1.([]float64), out.([]float64), mul64)
			} else {
				winogradPass(tm, pass, g, s, in0.([]float64), in1.([]float64), out.([]float64), mul64)
			}
		case *scratch[float32]:
			if pass == convGradFilter {
				winogradFilterGrad(tm, g, s, in0.([]float32), in1.([]float32), out.([]float32), mul32)
			} else {
				winogradPass(tm, pass, g, s, in0.([]float32), in1.([]float32), out.([]float32), mul32)
			}
		}
	}
	for pass, in := range passes {
		n := [...]int{len(dy), len(x), len(w)}[pass]
		name := fmt.Sprintf("%s pass %d", name, pass)
		want, got := make([]float64, n), make([]float64, n)
		im2colPass(nil, pass, g, &scratch[float64]{}, nil, in[0], in[1], want, mul64)
		wino(nil, pass, &scratch[float64]{}, in[0], in[1], got)
		scale := 0.0
		for _, v := range want {
			scale = max(scale, math.Abs(v))
		}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-13*max(1, scale) {
				t.Fatalf("%s element %d: %v, want %v", name, i, got[i], want[i])
			}
		}
		in32 := [2][]float32{to32(in[0]), to32(in[1])}
		wino32, direct32 := make([]float32, n), make([]float32, n)
		wino(nil, pass, &scratch[float32]{}, in32[0], in32[1], wino32)
		im2colPass(nil, pass, g, &scratch[float32]{}, nil, in32[0], in32[1], direct32, mul32)
		one := make([]float32, n)
		wino(&team{n: 1}, pass, &scratch[float32]{}, in32[0], in32[1], one)
		two := make([]float32, n)
		wino(&team{n: 2}, pass, &scratch[float32]{}, in32[0], in32[1], two)
		for i := range one {
			if math.Float32bits(one[i]) != math.Float32bits(two[i]) {
				t.Fatalf("%s element %d: %v on one worker, %v on two", name, i, one[i], two[i])
			}
		}
		if g.winograd(pass) || pass == convGradFilter && g.winoGrad() { // convPass takes Winograd's way for it
			via := make([]float32, n)
			convPass(nil, pass, g, &scratch[float32]{}, nil, in32[0], in32[1], via, mul32)
			for i := range via {
				if math.Float32bits(via[i]) != math.Float32bits(wino32[i]) {
					t.Fatalf("%s element %d: convPass %v, winogradPass %v", name, i, via[i], wino32[i])
				}
			}
		}
		errWino, errDirect := maxErr(wino32, want), maxErr(direct32, want)
		ulp, bound := float64(math.Nextafter32(1, 2)-1), bound
		if pass == convGradFilter { // a sum over every tile of every image
			bound[0], bound[1] = 2*bound[0], 1.5*bound[1]
		}
		if errWino > bound[0]*ulp*max(1, scale) || errWino > bound[1]*errDirect+1e-7 {
			t.Errorf("%s: float32 error %.3g (im2col's %.3g, bound %.3g)", name, errWino, errDirect, bound[0]*ulp*max(1, scale))
		}
	}
}

func maxErr(got []float32, want []float64) float64 {
	e := 0.0
	for i, v := range got {
		e = max(e, math.Abs(float64(v)-want[i]))
	}
	return e
}

// TestWinogradChosen: the forward and input-gradient passes of a dense
// 3x3 or 5x5 stride-1 convolution of 64 or more channels both ways on a
// map 14 or more wide, with a batch large enough, run as Winograd's;
// strided, dilated, narrow, small or other kernels do not. (winograd
// answers for those two passes; convPass sends a 5x5 layer's weight
// gradient to Winograd's too when it holds for the forward pass.)
func TestWinogradChosen(t *testing.T) {
	base := convGeom{b: 8, c: 192, h: 28, w: 28, o: 256, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, oh: 28, ow: 28}
	if !base.winograd(convForward) || !base.winograd(convGradData) || base.winograd(convGradFilter) || base.winograd(convGradBias) {
		t.Fatal("3x3/1 192 -> 256 on 28x28: want Winograd for the forward and input-gradient passes only")
	}
	if !base.winoGrad() {
		t.Fatal("3x3/1 192 -> 256 on 28x28: want its weight gradient through Winograd")
	}
	for name, change := range map[string]func(*convGeom){
		"padding 0": func(g *convGeom) { g.ph, g.pw, g.oh, g.ow = 0, 0, 26, 26 },
		"padding 2": func(g *convGeom) { g.ph, g.pw, g.oh, g.ow = 2, 2, 30, 30 },
		"14x14 map": func(g *convGeom) { g.h, g.w, g.oh, g.ow = 14, 14, 14, 14 },
		"64 and 64": func(g *convGeom) { g.c, g.o = 64, 64 },
		"5x5":       func(g *convGeom) { g.kh, g.kw, g.ph, g.pw = 5, 5, 2, 2 },
		"5x5 pad 4": func(g *convGeom) { g.kh, g.kw, g.ph, g.pw, g.oh, g.ow = 5, 5, 4, 4, 32, 32 },
	} {
		g := base
		change(&g)
		if !g.winograd(convForward) || !g.winoGrad() {
			t.Errorf("%s: did not choose Winograd for the forward pass and the weight gradient", name)
		}
	}
	for name, change := range map[string]func(*convGeom){
		"stride 2":    func(g *convGeom) { g.sh, g.sw = 2, 2 },
		"dilation 2":  func(g *convGeom) { g.dh, g.dw = 2, 2 },
		"7x7":         func(g *convGeom) { g.kh, g.kw, g.ph, g.pw = 7, 7, 3, 3 },
		"5x5 pad 5":   func(g *convGeom) { g.kh, g.kw, g.ph, g.pw = 5, 5, 5, 5 },
		"5x3":         func(g *convGeom) { g.kh = 5 },
		"1x3":         func(g *convGeom) { g.kh = 1 },
		"32 inputs":   func(g *convGeom) { g.c = 32 },
		"32 outputs":  func(g *convGeom) { g.o = 32 },
		"padding 3":   func(g *convGeom) { g.ph, g.pw = 3, 3 },
		"padding 1x0": func(g *convGeom) { g.pw = 0 },
		"8x8 map":     func(g *convGeom) { g.h, g.w, g.oh, g.ow = 8, 8, 8, 8 },
		"13x13 map":   func(g *convGeom) { g.h, g.w, g.oh, g.ow = 13, 13, 13, 13 },
		"one image":   func(g *convGeom) { g.b, g.h, g.w, g.oh, g.ow = 1, 14, 14, 14, 14 },
	} {
		g := base
		change(&g)
		if g.winograd(convForward) || g.winoGrad() {
			t.Errorf("%s: chose Winograd", name)
		}
	}
}

// BenchmarkWinograd times the forward and input-gradient passes of 3x3
// and 5x5 convolutions in float32, through im2col and through Winograd's
// scheme for them: the Inception study's (192 -> 256 channels at 28x28, 8
// images) and small ones of the MNIST presets (16 and 32 channels on 7x7
// and 14x14, 64 images).
func BenchmarkWinograd(b *testing.B) {
	for _, g := range []convGeom{
		{b: 8, c: 192, h: 28, w: 28, o: 256},
		{b: 64, c: 16, h: 7, w: 7, o: 16},
		{b: 64, c: 32, h: 14, w: 14, o: 32},
		{b: 64, c: 64, h: 14, w: 14, o: 64},
		{b: 64, c: 64, h: 7, w: 7, o: 64},
		{b: 16, c: 128, h: 14, w: 14, o: 128},
		{b: 8, c: 96, h: 28, w: 28, o: 128},
		{b: 4, c: 384, h: 8, w: 8, o: 384},
		{b: 16, c: 128, h: 7, w: 7, o: 128},
		{b: 8, c: 192, h: 28, w: 28, o: 256, kh: 5},
		{b: 64, c: 64, h: 14, w: 14, o: 64, kh: 5},
		{b: 4, c: 64, h: 27, w: 27, o: 192, kh: 5}, // AlexNet's second
	} {
		k := max(g.kh, 3)
		g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow = k, k, 1, 1, k/2, k/2, 1, 1, g.h, g.w
		rng := rand.New(rand.NewPCG(1, 2))
		x, w, dy := to32(unitValues(rng, int(prod(g.xShape())))), to32(unitValues(rng, int(prod(g.wShape())))), to32(unitValues(rng, int(prod(g.yShape()))))
		for _, pass := range []int{convForward, convGradData} {
			in0, in1, out := x, w, make([]float32, len(dy))
			if pass == convGradData {
				in0, in1, out = w, dy, make([]float32, len(x))
			}
			for _, run := range []struct {
				name string
				f    func(*team, int, convGeom, *scratch[float32], []float32, []float32, []float32, mulFunc[float32])
			}{{"im2col", func(t *team, pass int, g convGeom, s *scratch[float32], in0, in1, out []float32, mul mulFunc[float32]) {
				im2colPass(t, pass, g, s, nil, in0, in1, out, mul)
			}}, {"winograd", winogradPass[float32]}} {
				b.Run(fmt.Sprintf("k%d/%d-%d_%dx%d/pass%d/%s", k, g.c, g.o, g.h, g.w, pass, run.name), func(b *testing.B) {
					s := &scratch[float32]{}
					for b.Loop() {
						run.f(nil, pass, g, s, in0, in1, out, mul32)
					}
				})
			}
		}
	}
}

// TestWinogradAllocations: a pass allocates next to nothing once its
// scratch space is made (the space and the packed filters are reused), the
// weight gradients included (a few a pass, and a few a block of 4
// images: the goroutines of its two phases, transforms and products).
func TestWinogradAllocations(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{3, 5} {
		g := convGeom{b: 4, c: 64, h: 28, w: 28, o: 64, kh: k, kw: k, sh: 1, sw: 1, ph: k / 2, pw: k / 2, dh: 1, dw: 1, oh: 28, ow: 28}
		x, w := to32(unitValues(rng, int(prod(g.xShape())))), to32(unitValues(rng, int(prod(g.wShape()))))
		y := to32(unitValues(rng, int(prod(g.yShape()))))
		dw := make([]float32, len(w))
		s := &scratch[float32]{}
		for _, workers := range []int{1, 2} {
			tm := &team{n: workers}
			n := testing.AllocsPerRun(5, func() { winogradPass(tm, convForward, g, s, x, w, y, mul32) })
			if n > 2 {
				t.Errorf("%dx%d, %d workers: %.0f allocations a pass, want at most 2", k, k, workers, n)
			}
			// The weight gradient: a few a pass, and a block (4 images) only its workers' start.
			g12 := g
			g12.b = 12
			x12, y12 := to32(unitValues(rng, int(prod(g12.xShape())))), to32(unitValues(rng, int(prod(g12.yShape()))))
			one := testing.AllocsPerRun(5, func() { winogradFilterGrad(tm, g, s, x, y, dw, mul32) })
			three := testing.AllocsPerRun(5, func() { winogradFilterGrad(tm, g12, s, x12, y12, dw, mul32) })
			if one > 10 || three > one+2*8 {
				t.Errorf("%dx%d weight gradient, %d workers: %.0f allocations a pass of one block, %.0f of three, want at most 10 and 8 a block more", k, k, workers, one, three)
			}
		}
	}
}
