package graph

import (
	"fmt"
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
			convPass(nil, pass, g, &scratch[float64]{}, nil, in[0], in[1], want, mul64)
			a, b := to32(in[0]), to32(in[1])
			got := make([]float32, len(want))
			for i := range got {
				got[i] = 7 // every element must be written
			}
			convPass(nil, pass, g, &scratch[float32]{}, nil, a, b, got, mul32)
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
		rng := rand.New(rand.NewPCG(1, 2))
		p := compiled(t, n, rng, (*rand.Rand).Float32, []int{0, 2})
		defer p.Close()
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

// TestSeparablePooling: the row-then-column max pooling, and poolSame's
// vector passes where the shape allows them, give the values (bit for
// bit: the winning input's own, -0 against +0 included) and argmax
// positions of the window-by-window one, ties on purpose; and a plane with
// a NaN gives NaN where its windows hold it.
func TestSeparablePooling(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	values := []float32{-1, float32(math.Copysign(0, -1)), 0, 1, 2, 3}
	for _, c := range [][6]int{{3, 3, 1, 1, 9, 9}, {3, 3, 2, 1, 10, 7}, {2, 2, 2, 0, 8, 8}, {3, 3, 2, 0, 9, 11}, {5, 5, 3, 2, 12, 12},
		{3, 3, 1, 1, 12, 12}, {3, 3, 1, 1, 2, 2}, {3, 3, 1, 1, 1, 5}, {3, 3, 1, 1, 5, 1}, {5, 5, 1, 2, 6, 3}, {1, 3, 1, 0, 4, 7}, {3, 1, 1, 0, 7, 4}, {7, 7, 1, 3, 9, 20},
		{3, 3, 2, 0, 48, 48}, {3, 3, 2, 1, 24, 37}, {2, 2, 2, 0, 28, 28}, {3, 3, 2, 1, 3, 3}, {3, 3, 2, 0, 3, 3}, {3, 3, 3, 1, 20, 20}, {3, 3, 1, -1, 10, 9}, {2, 2, 1, -1, 2, 30}, {3, 3, 1, 1, 64, 64}} { // 48x48 and 64x64: blocks of fewer planes than a run
		kh, kw, st, pad, h, w := c[0], c[1], c[2], c[3], c[4], c[5]
		o := convOpts{kh: kh, kw: kw, sh: st, sw: st, ph: (kh - 1) / 2, pw: (kw - 1) / 2}
		if st > 1 || kh == 2 {
			o.ph, o.pw = pad, pad
		}
		if pad < 0 { // stride 1 without padding
			o.ph, o.pw = 0, 0
		}
		oh, ow := (h+2*o.ph-kh)/st+1, (w+2*o.pw-kw)/st+1
		planes := 11
		in := make([]float32, planes*h*w)
		for i := range in {
			in[i] = values[rng.IntN(len(values))]
		}
		want := newPoolOp(nil, []int{1, planes, h, w}, o, oh, ow, false)
		want.ensureMask()
		wantOut := make([]float32, planes*oh*ow)
		poolWindows(want, in, wantOut, 0, planes)
		check := func(name string, op *poolOp, out []float32) {
			t.Helper()
			for i := range out {
				if math.Float32bits(out[i]) != math.Float32bits(wantOut[i]) || op.mask[i] != want.mask[i] {
					t.Fatalf("%v output %d: %s %v at %d, windowed %v at %d", c, i, name, out[i], op.mask[i], wantOut[i], want.mask[i])
				}
			}
		}
		sep := newPoolOp(nil, []int{1, planes, h, w}, o, oh, ow, false)
		sep.ensureMask()
		out := make([]float32, planes*oh*ow)
		poolSeparable(sep, in, out, 0, planes)
		check("separable", sep, out)
		if poolSameShape(sep) {
			same := newPoolOp(nil, []int{1, planes, h, w}, o, oh, ow, false)
			same.ensureMask()
			out := make([]float32, planes*oh*ow)
			poolVector(same, in, out, 0, 4) // two runs of planes, as two workers would
			poolVector(same, in, out, 4, planes)
			check("by vectors", same, out)
		} else if st == 1 && kh != 2 && pad >= 0 {
			t.Fatalf("%v: not a same shape", c)
		}
		if poolStridedShape(sep) {
			strided := newPoolOp(nil, []int{1, planes, h, w}, o, oh, ow, false)
			strided.ensureMask()
			out := make([]float32, planes*oh*ow)
			poolVector(strided, in, out, 0, 5)
			poolVector(strided, in, out, 5, planes)
			check("by vectors, strided", strided, out)
		} else if st <= 2 && !poolSameShape(sep) {
			t.Fatalf("%v: not pooled by vectors", c)
		}
		in[5] = float32(math.NaN())
		nan := newPoolOp(nil, []int{1, planes, h, w}, o, oh, ow, false)
		poolForward(nan, in, out)
		found := false
		for i, m := range nan.mask {
			found = found || (m == 5 && out[i] != out[i])
		}
		if !found {
			t.Fatalf("%v: no output is the input's NaN", c)
		}
	}
}

// TestConvMatchesDirect: the forward pass (im2col and the product) and
// the input gradient (the product and col2im) equal the textbook loops of
// a convolution in float64, for strides 1 to 3, padding, dilation and
// windows larger than the map.
func TestConvMatchesDirect(t *testing.T) {
	geoms := []convGeom{
		{b: 2, c: 3, h: 9, w: 8, o: 4, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1},
		{b: 1, c: 2, h: 11, w: 13, o: 3, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3},
		{b: 2, c: 2, h: 10, w: 9, o: 2, kh: 3, kw: 5, sh: 3, sw: 3, ph: 2, pw: 1},
		{b: 1, c: 2, h: 7, w: 9, o: 3, kh: 3, kw: 3, sh: 1, sw: 2, ph: 2, pw: 2, dh: 2, dw: 3},
		{b: 2, c: 1, h: 3, w: 2, o: 2, kh: 5, kw: 5, sh: 2, sw: 2, ph: 2, pw: 2},
		{b: 1, c: 3, h: 6, w: 6, o: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		// stride 1 with output rows as wide as the input's: "same" padding
		// across, and down or not; windows larger than the map; dilated
		{b: 2, c: 2, h: 3, w: 2, o: 2, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		{b: 1, c: 2, h: 5, w: 9, o: 3, kh: 1, kw: 7, sh: 1, sw: 1, ph: 0, pw: 3},
		{b: 1, c: 2, h: 9, w: 5, o: 3, kh: 7, kw: 1, sh: 1, sw: 1, ph: 3, pw: 0},
		{b: 1, c: 2, h: 7, w: 6, o: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 1},
		{b: 1, c: 2, h: 5, w: 6, o: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 3, pw: 1},
		{b: 1, c: 2, h: 8, w: 8, o: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 2, pw: 2, dh: 2, dw: 2},
		{b: 1, c: 2, h: 8, w: 7, o: 2, kh: 3, kw: 3, sh: 2, sw: 1, ph: 1, pw: 1},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for gi, g := range geoms {
		g.dh, g.dw = max(g.dh, 1), max(g.dw, 1)
		g.oh = (g.h+2*g.ph-g.dh*(g.kh-1)-1)/g.sh + 1
		g.ow = (g.w+2*g.pw-g.dw*(g.kw-1)-1)/g.sw + 1
		x, w, dy := unitValues(rng, int(prod(g.xShape()))), unitValues(rng, int(prod(g.wShape()))), unitValues(rng, int(prod(g.yShape())))
		y, dx := make([]float64, len(dy)), make([]float64, len(x))
		for b := 0; b < g.b; b++ {
			for o := 0; o < g.o; o++ {
				for oy := 0; oy < g.oh; oy++ {
					for ox := 0; ox < g.ow; ox++ {
						yi := ((b*g.o+o)*g.oh+oy)*g.ow + ox
						for c := 0; c < g.c; c++ {
							for ky := 0; ky < g.kh; ky++ {
								for kx := 0; kx < g.kw; kx++ {
									iy, ix := oy*g.sh-g.ph+ky*g.dh, ox*g.sw-g.pw+kx*g.dw
									if iy < 0 || iy >= g.h || ix < 0 || ix >= g.w {
										continue
									}
									xi, wi := ((b*g.c+c)*g.h+iy)*g.w+ix, ((o*g.c+c)*g.kh+ky)*g.kw+kx
									y[yi] += w[wi] * x[xi]
									dx[xi] += w[wi] * dy[yi]
								}
							}
						}
					}
				}
			}
		}
		for pass, c := range []struct{ in0, in1, want []float64 }{{x, w, y}, {w, dy, dx}} {
			got := make([]float64, len(c.want))
			convPass(nil, pass, g, &scratch[float64]{}, nil, c.in0, c.in1, got, mul64)
			for i := range got {
				if math.Abs(got[i]-c.want[i]) > 1e-12 {
					t.Fatalf("geometry %d pass %d element %d: %v, want %v", gi, pass, i, got[i], c.want[i])
				}
			}
		}
	}
}

// BenchmarkIm2col times gathering and scattering the columns of one image
// for strided convolutions (GoogLeNet's 7x7/2 stem on a 96x96 image, a
// 3x3/2 reduction on 48x48 with 16 channels), 3x3 "same" ones on 64
// channels of 8x8 and 28x28 and 16 of 4x4, and a 5x5 "same" one on 32
// channels of 28x28.
func BenchmarkIm2col(b *testing.B) {
	for _, g := range []convGeom{
		{b: 1, c: 1, h: 96, w: 96, o: 8, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3, dh: 1, dw: 1},
		{b: 1, c: 16, h: 48, w: 48, o: 16, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1},
		{b: 1, c: 64, h: 8, w: 8, o: 64, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1},
		{b: 1, c: 16, h: 4, w: 4, o: 16, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1},
		{b: 1, c: 64, h: 28, w: 28, o: 64, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1},
		{b: 1, c: 32, h: 28, w: 28, o: 64, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2, dh: 1, dw: 1},
	} {
		g.oh, g.ow = (g.h+2*g.ph-g.kh)/g.sh+1, (g.w+2*g.pw-g.kw)/g.sw+1
		x := make([]float32, prod(g.xShape()))
		col := make([]float32, g.ckk()*g.ohw())
		b.Run(fmt.Sprintf("%dx%d/%d_on_%dx%dx%d/im2col", g.kh, g.kw, g.sh, g.c, g.h, g.w), func(b *testing.B) {
			for b.Loop() {
				im2col(g, x, col, g.ohw(), 0, 0, g.c)
			}
		})
		b.Run(fmt.Sprintf("%dx%d/%d_on_%dx%dx%d/col2im", g.kh, g.kw, g.sh, g.c, g.h, g.w), func(b *testing.B) {
			for b.Loop() {
				col2im(g, col, g.ohw(), 0, x)
			}
		})
	}
}

// TestDepthwiseMatchesDirect: the depthwise kernels (one filter group per
// input channel, one or two filters each) equal the textbook loops in
// float64 in all three passes, taps wholly in the padding included (a
// dilated or large kernel on a small map).
func TestDepthwiseMatchesDirect(t *testing.T) {
	geoms := []convGeom{
		{b: 2, c: 3, h: 6, w: 7, o: 3, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		{b: 2, c: 2, h: 7, w: 6, o: 4, kh: 5, kw: 3, sh: 2, sw: 2, ph: 2, pw: 1},
		{b: 2, c: 2, h: 3, w: 3, o: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 4, pw: 4, dh: 4, dw: 4},
		{b: 1, c: 2, h: 1, w: 1, o: 2, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		{b: 1, c: 3, h: 5, w: 8, o: 6, kh: 3, kw: 3, sh: 1, sw: 3, ph: 3, pw: 2, dh: 3, dw: 2},
		{b: 2, c: 2, h: 6, w: 40, o: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1}, // long rows
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for gi, g := range geoms {
		g.dh, g.dw = max(g.dh, 1), max(g.dw, 1)
		g.oh = (g.h+2*g.ph-g.dh*(g.kh-1)-1)/g.sh + 1
		g.ow = (g.w+2*g.pw-g.dw*(g.kw-1)-1)/g.sw + 1
		mult := g.o / g.c
		x, w, dy := unitValues(rng, int(prod(g.xShape()))), unitValues(rng, g.o*g.kh*g.kw), unitValues(rng, int(prod(g.yShape())))
		y, dx, dw := make([]float64, len(dy)), make([]float64, len(x)), make([]float64, len(w))
		for b := 0; b < g.b; b++ {
			for o := 0; o < g.o; o++ {
				c := o / mult
				for oy := 0; oy < g.oh; oy++ {
					for ox := 0; ox < g.ow; ox++ {
						yi := ((b*g.o+o)*g.oh+oy)*g.ow + ox
						for ky := 0; ky < g.kh; ky++ {
							for kx := 0; kx < g.kw; kx++ {
								iy, ix := oy*g.sh-g.ph+ky*g.dh, ox*g.sw-g.pw+kx*g.dw
								if iy < 0 || iy >= g.h || ix < 0 || ix >= g.w {
									continue
								}
								xi, wi := ((b*g.c+c)*g.h+iy)*g.w+ix, (o*g.kh+ky)*g.kw+kx
								y[yi] += w[wi] * x[xi]
								dx[xi] += w[wi] * dy[yi]
								dw[wi] += x[xi] * dy[yi]
							}
						}
					}
				}
			}
		}
		taps := g.taps()
		got := [3][]float64{make([]float64, len(y)), make([]float64, len(dx)), make([]float64, len(dw))}
		for p := 0; p < g.b*g.o; p++ {
			dwForward(g, taps, x, w, got[0], p)
		}
		for p := 0; p < g.b*g.c; p++ {
			dwGradData(g, taps, w, dy, got[1], p)
		}
		for o := 0; o < g.o; o++ {
			dwGradFilter(g, taps, x, dy, got[2], o)
		}
		// float32 within rounding
		x32, w32, dy32 := to32(x), to32(w), to32(dy)
		got32 := [3][]float32{make([]float32, len(y)), make([]float32, len(dx)), make([]float32, len(dw))}
		for p := 0; p < g.b*g.o; p++ {
			dwForward(g, taps, x32, w32, got32[0], p)
		}
		for p := 0; p < g.b*g.c; p++ {
			dwGradData(g, taps, w32, dy32, got32[1], p)
		}
		for o := 0; o < g.o; o++ {
			dwGradFilter(g, taps, x32, dy32, got32[2], o)
		}
		for pass, want := range [][]float64{y, dx, dw} {
			for i := range want {
				if math.Abs(got[pass][i]-want[i]) > 1e-12 || math.Abs(float64(got32[pass][i])-want[i]) > 1e-5*(1+math.Abs(want[i])) {
					t.Fatalf("geometry %d pass %d element %d: %v and float32 %v, want %v", gi, pass, i, got[pass][i], got32[pass][i], want[i])
				}
			}
		}
	}
}

// TestCol2imSameBits: col2im, by shifted runs where the geometry allows it
// and by rows elsewhere, gives the plain loop's bits (each input's taps
// added in order, window cells in the padding skipped), with zeros of both
// signs among the columns.
func TestCol2imSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, g := range []convGeom{
		{c: 3, h: 4, w: 4, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		{c: 2, h: 2, w: 2, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		{c: 2, h: 8, w: 8, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		{c: 2, h: 7, w: 5, kh: 1, kw: 3, sh: 1, sw: 1, ph: 0, pw: 1},
		{c: 2, h: 5, w: 7, kh: 7, kw: 1, sh: 1, sw: 1, ph: 3, pw: 0},
		{c: 2, h: 6, w: 6, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0},
		{c: 2, h: 9, w: 9, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1},
		{c: 1, h: 1, w: 1, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		{c: 1, h: 10, w: 10, kh: 9, kw: 9, sh: 1, sw: 1, ph: 4, pw: 4}, // more taps than col2imSame's table
	} {
		g.b, g.o, g.dh, g.dw = 1, 1, 1, 1
		g.oh, g.ow = (g.h+2*g.ph-g.kh)/g.sh+1, (g.w+2*g.pw-g.kw)/g.sw+1
		col := make([]float32, g.ckk()*g.ohw())
		for i := range col {
			switch rng.IntN(4) {
			case 0:
				col[i] = float32(math.Copysign(0, -1))
			default:
				col[i] = float32(rng.NormFloat64())
			}
		}
		want := make([]float32, g.c*g.h*g.w)
		r := 0
		for c := 0; c < g.c; c++ {
			for ky := 0; ky < g.kh; ky++ {
				for kx := 0; kx < g.kw; kx++ {
					for oy := 0; oy < g.oh; oy++ {
						for ox := 0; ox < g.ow; ox++ {
							iy, ix := oy*g.sh-g.ph+ky*g.dh, ox*g.sw-g.pw+kx*g.dw
							if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
								want[(c*g.h+iy)*g.w+ix] += col[r*g.ohw()+oy*g.ow+ox]
							}
						}
					}
					r++
				}
			}
		}
		got := make([]float32, len(want))
		col2im(g, col, g.ohw(), 0, got)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%+v: input %d is %v, the plain loop's %v", g, i, got[i], want[i])
			}
		}
	}
}

// TestIm2colMatchesLoop: im2col in float32 (vec.Even's shuffles on long
// stride-2 runs, the shifted blocks of "same" stride-1 taps) lays out the
// plain loop's columns, zeros for the padding.
func TestIm2colMatchesLoop(t *testing.T) {
	for _, g := range []convGeom{
		{c: 1, h: 40, w: 40, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3},
		{c: 2, h: 37, w: 37, kh: 3, kw: 3, sh: 2, sw: 2, ph: 0, pw: 0},
		{c: 2, h: 36, w: 35, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1},
		{c: 2, h: 20, w: 20, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		{c: 1, h: 9, w: 50, kh: 1, kw: 5, sh: 1, sw: 3, ph: 0, pw: 2},
		{c: 3, h: 4, w: 4, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
		{c: 2, h: 2, w: 2, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},
		{c: 2, h: 5, w: 3, kh: 1, kw: 3, sh: 1, sw: 1, ph: 0, pw: 1},
		{c: 2, h: 6, w: 6, kh: 7, kw: 1, sh: 1, sw: 1, ph: 3, pw: 0},
		{c: 2, h: 9, w: 9, kh: 3, kw: 3, sh: 1, sw: 1, ph: 2, pw: 2, dh: 2, dw: 2},
		{c: 1, h: 12, w: 12, kh: 9, kw: 9, sh: 1, sw: 1, ph: 4, pw: 4}, // more taps than im2colSame's table
		{c: 1, h: 6, w: 7, kh: 3, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0},
		{c: 3, h: 7, w: 9, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1},
		{c: 2, h: 11, w: 11, kh: 5, kw: 5, sh: 2, sw: 2, ph: 2, pw: 2},
		{c: 2, h: 9, w: 9, kh: 1, kw: 1, sh: 2, sw: 2, ph: 0, pw: 0},
		{c: 1, h: 3, w: 3, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3},
		{c: 1, h: 64, w: 64, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3},
	} {
		g.b, g.o = 1, 1
		g.dh, g.dw = max(1, g.dh), max(1, g.dw)
		g.oh, g.ow = (g.h+2*g.ph-(g.kh-1)*g.dh-1)/g.sh+1, (g.w+2*g.pw-(g.kw-1)*g.dw-1)/g.sw+1
		x := make([]float32, g.c*g.h*g.w)
		for i := range x {
			x[i] = float32(i) + 0.25
		}
		got := make([]float32, g.ckk()*g.ohw())
		for i := range got {
			got[i] = -1 // every value must be written
		}
		im2col(g, x, got, g.ohw(), 0, 0, g.c)
		r := 0
		for c := 0; c < g.c; c++ {
			for ky := 0; ky < g.kh; ky++ {
				for kx := 0; kx < g.kw; kx++ {
					for oy := 0; oy < g.oh; oy++ {
						for ox := 0; ox < g.ow; ox++ {
							iy, ix := oy*g.sh-g.ph+ky*g.dh, ox*g.sw-g.pw+kx*g.dw
							var want float32
							if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
								want = x[(c*g.h+iy)*g.w+ix]
							}
							if v := got[r*g.ohw()+oy*g.ow+ox]; v != want {
								t.Fatalf("%+v: tap (%d, %d, %d) at (%d, %d) is %v, want %v", g, c, ky, kx, oy, ox, v, want)
							}
						}
					}
					r++
				}
			}
		}
	}
}

// TestInsideStride1: inside's shortcut at stride 1 gives the general
// formula's runs for every tap offset, padding and width.
func TestInsideStride1(t *testing.T) {
	for w := 1; w <= 9; w++ {
		for pw := 0; pw <= 4; pw++ {
			for k := 1; k <= 2*pw+w+2; k++ {
				g := convGeom{w: w, pw: pw, sw: 1, ow: w + 2*pw - k + 1}
				if g.ow < 1 {
					continue
				}
				for kx := 0; kx < k; kx++ {
					lo, hi := g.inside(kx)
					wantLo := min(g.ow, max(0, ceilDiv(pw-kx, 1)))
					wantHi := max(wantLo, min(g.ow, ceilDiv(w-kx+pw, 1)))
					if lo != wantLo || hi != wantHi {
						t.Fatalf("w %d pw %d k %d kx %d: [%d, %d), want [%d, %d)", w, pw, k, kx, lo, hi, wantLo, wantHi)
					}
				}
			}
		}
	}
}

// TestPointwiseGroupsSameBits: a 1x1 convolution on small maps multiplies
// several images at once in its forward and input-gradient passes; each
// output has the bits of a product per image, on one worker or two.
func TestPointwiseGroupsSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, hw := range []int{1, 2, 4, 8, 10} {
		g := convGeom{b: 37, c: 24, h: hw, w: hw, o: 20, kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, oh: hw, ow: hw}
		if g.pointwiseGroup() < 2 {
			t.Fatalf("%dx%d: no groups", hw, hw)
		}
		fill := func(n int) []float32 {
			v := make([]float32, n)
			for i := range v {
				v[i] = float32(rng.NormFloat64())
			}
			return v
		}
		x, wt, dy := fill(g.b*g.c*hw*hw), fill(g.o*g.c), fill(g.b*g.o*hw*hw)
		for _, pass := range []int{convForward, convGradData} {
			in0, in1, size := x, wt, g.b*g.o*hw*hw
			if pass == convGradData {
				in0, in1, size = wt, dy, len(x)
			}
			one := make([]float32, size) // a product per image
			s := &scratch[float32]{}
			wm := weights(&team{n: 1}, s, pass, g, in0, in1)
			for b := 0; b < g.b; b++ {
				convImages(&team{n: 1}, pass, g, s, nil, wm, in0, in1, one, mul32, b, b+1)
			}
			for _, workers := range []int{1, 2} {
				got := make([]float32, size)
				im2colPass(&team{n: workers}, pass, g, &scratch[float32]{}, nil, in0, in1, got, mul32)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(one[i]) {
						t.Fatalf("%dx%d, pass %d, %d workers: value %d is %v, a product per image gives %v", hw, hw, pass, workers, i, got[i], one[i])
					}
				}
			}
		}
	}
}
