package graph

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/convnets/convnets/internal/gemm"
	"github.com/convnets/convnets/internal/workers"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// convGeom is the geometry of a convolution of (B, C, H, W) by (O, C, KH,
// KW) filters into (B, O, OH, OW), the kernel's taps dh rows and dw
// columns apart (dilation; 1 when dense).
type convGeom struct {
	b, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow int
}

// dilation is ", d DHxDW" for a dilated convolution's String, else "".
func (g convGeom) dilation() string {
	if g.dh == 1 && g.dw == 1 {
		return ""
	}
	return fmt.Sprintf(", d %dx%d", g.dh, g.dw)
}

func (g convGeom) ckk() int      { return g.c * g.kh * g.kw }
func (g convGeom) ohw() int      { return g.oh * g.ow }
func (g convGeom) xShape() []int { return []int{g.b, g.c, g.h, g.w} }
func (g convGeom) wShape() []int { return []int{g.o, g.c, g.kh, g.kw} }
func (g convGeom) yShape() []int { return []int{g.b, g.o, g.oh, g.ow} }

// pointwise says whether the conv is 1x1 with stride 1 and no padding:
// then an image is its own column matrix (C x H*W) and nothing is copied.
func (g convGeom) pointwise() bool {
	return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0
}

// group is how many images share one matrix product: enough columns (about
// 4,096) for the GEMM's tiles to keep the cores busy on small images,
// within a 16 MB column buffer.
func (g convGeom) group() int {
	if g.pointwise() {
		return 1
	}
	n := max(1, (4096+g.ohw()-1)/g.ohw())
	if byBuf := (16 << 20) / max(1, 4*g.ckk()*g.ohw()); n > byBuf {
		n = max(1, byBuf)
	}
	return min(n, g.b)
}

// The passes of a convolution, one op each: the forward pass and the
// gradients of the input, the weights and the bias.
const (
	convForward    = iota // (x, w[, b]) -> y
	convGradData          // (w, dy) -> dx
	convGradFilter        // (x, dy) -> dw
	convGradBias          // dy -> db, the sum of dy over images and positions
)

// convOp is convnets' 2-D convolution (cross-correlation, as Gorgonia and
// PyTorch compute it): im2col, then one matrix product per group of images
// with internal/gemm (AVX-512 or AVX2/FMA kernels on CPUs that have them) in
// float32, or plain loops in float64 (for the gradient checks); wide 3x3
// convolutions at stride 1 go through Winograd's F(2x2, 3x3) instead (see
// winograd.go). Its backward passes are ops of the same type.
type convOp struct {
	opBase
	pass int
	g    convGeom
	bias bool // the forward pass adds a bias per output channel
	// noDX: x is the network's input, whose gradient nobody needs; the
	// backward pass skips it (a third of a conv's work).
	noDX bool
	s    *convScratch
	// cols keeps the forward pass's columns for the weight gradient (nil:
	// the Net's budget had no room, or the pass gathers none).
	cols *colCache
	team *team // the Net's
	out  outBuf
}

// convScratch is the column and product space that every conv op of a Net
// shares: a machine runs one op at a time, so one buffer (as large as the
// largest op's) serves them all and the heap stays flat.
type convScratch struct {
	s32 scratch[float32]
	s64 scratch[float64]
}

// scratch is an op's reusable buffers, so that steps allocate nothing;
// workers that split a pass by images have one each (part).
type scratch[T float32 | float64] struct {
	col, mat   []T
	wino       []T                           // transformed filters (winogradPass)
	winoPacked [winoMaxPositions]gemm.Packed // the same, packed (float32)
	winoMats   [winoMaxPositions]mat[T]      // the transformed filters as the products' factors
	winoIn     []T                           // rows of a tile row's transforms (winoRun)
	winoOut    []T
	kron       [4][]T // G ⊗ G of F(2x2, 3x3) and F(2x2, 5x5), plain and flipped (winoKron)
	part       []*scratch[T]
	packed     gemm.Packed // the pass's weights, or the weight gradient's dY, packed once (float32)
}

// parts returns n workers' scratch spaces, made on first use.
func (s *scratch[T]) parts(n int) []*scratch[T] {
	for len(s.part) < n {
		s.part = append(s.part, &scratch[T]{})
	}
	return s.part[:n]
}

// winoKron returns G ⊗ G of F(2x2, r x r) in T, flipped or not, made once.
func (s *scratch[T]) winoKron(r int, flip bool) []T {
	i := 0
	if r == 5 {
		i = 2
	}
	if flip {
		i++
	}
	if s.kron[i] == nil {
		s.kron[i] = winoKron[T](r, flip)
	}
	return s.kron[i]
}

// winoFilters returns space for n transformed filter values.
func (s *scratch[T]) winoFilters(n int) []T {
	if len(s.wino) < n {
		s.wino = make([]T, n)
	}
	return s.wino[:n]
}

// winoRows returns space for the rows of one tile row's input and output
// transforms.
func (s *scratch[T]) winoRows(in, out int) ([]T, []T) {
	if len(s.winoIn) < in {
		s.winoIn = make([]T, in)
	}
	if len(s.winoOut) < out {
		s.winoOut = make([]T, out)
	}
	return s.winoIn[:in], s.winoOut[:out]
}

func (s *scratch[T]) buffers(col, mat int) ([]T, []T) {
	if len(s.col) < col {
		s.col = make([]T, col)
	}
	if len(s.mat) < mat {
		s.mat = make([]T, mat)
	}
	return s.col[:col], s.mat[:mat]
}

func (op *convOp) Arity() int {
	switch {
	case op.pass == convGradBias:
		return 1
	case op.bias:
		return 3
	}
	return 2
}
func (op *convOp) Type() hm.Type {
	t := &G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	ts := make([]hm.Type, op.Arity()+1)
	for i := range ts {
		ts[i] = t
	}
	return hm.NewFnType(ts...)
}
func (op *convOp) outShape() []int {
	switch op.pass {
	case convGradData:
		return op.g.xShape()
	case convGradFilter:
		return op.g.wShape()
	case convGradBias:
		return []int{1, op.g.o, 1, 1}
	}
	return op.g.yShape()
}
func (op *convOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.outShape()), nil
}
func (op *convOp) String() string {
	name := [...]string{"Conv", "ConvGradData", "ConvGradFilter", "ConvGradBias"}[op.pass]
	g := op.g
	return fmt.Sprintf("convnets%s(%dx%d->%d, k %dx%d, s %dx%d, p %dx%d%s)", name, g.c, g.h, g.o, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dilation())
}
func (op *convOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *convOp) Hashcode() uint32      { return hashOf(op) }

func (op *convOp) Do(inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	if len(inputs) != op.Arity() {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	out := op.out.get(inputs[0].Dtype(), op.outShape())
	return out, op.run(out, inputs)
}

func (op *convOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	if len(inputs) != op.Arity() {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	out, ok := prealloc.(*tensor.Dense)
	if !ok {
		return nil, errors.Errorf("%s: preallocated value is %T", op, prealloc)
	}
	return out, op.run(out, inputs)
}

func (op *convOp) run(out *tensor.Dense, inputs []G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return convRun(op, &op.s.s32, slot[float32](op.cols), o, inputs, mul32)
	case []float64:
		return convRun(op, &op.s.s64, slot[float64](op.cols), o, inputs, mul64)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func convRun[T float32 | float64](op *convOp, s *scratch[T], keep *colSlot[T], out []T, inputs []G.Value, mul mulFunc[T]) error {
	in := make([][]T, len(inputs))
	for i, v := range inputs {
		var ok bool
		if in[i], ok = v.Data().([]T); !ok {
			return errors.Errorf("%s: input %d has dtype %v", op, i, v.Dtype())
		}
	}
	g := op.g
	if op.pass == convGradBias {
		ohw := g.ohw()
		op.team.parallelFor(g.o, 1, func(lo, hi int) {
			for o := lo; o < hi; o++ {
				var sum T
				for b := 0; b < g.b; b++ {
					for _, v := range in[0][(b*g.o+o)*ohw : (b*g.o+o+1)*ohw] {
						sum += v
					}
				}
				out[o] = sum
			}
		})
		return nil
	}
	convPass(op.team, op.pass, g, s, keep, in[0], in[1], out, mul)
	if op.bias {
		ohw := g.ohw()
		bias := in[2]
		op.team.parallelFor(g.b*g.o, 8, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				v := bias[p%g.o]
				for i := range out[p*ohw : (p+1)*ohw] {
					out[p*ohw+i] += v
				}
			}
		})
	}
	return nil
}

func (op *convOp) DiffWRT(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = i > 0 || !op.noDX
	}
	return out
}

// SymDiff: dx = ConvGradData(w, dy), dw = ConvGradFilter(x, dy) and, with
// a bias, db = ConvGradBias(dy).
func (op *convOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.pass != convForward {
		return nil, errors.Errorf("%s: no second derivative", op)
	}
	var dx *G.Node
	var err error
	if !op.noDX {
		if dx, err = G.ApplyOp(&convOp{pass: convGradData, g: op.g, s: op.s, team: op.team}, inputs[1], grad); err != nil {
			return nil, err
		}
	}
	if op.cols != nil {
		op.cols.wanted = true
	}
	dw, err := G.ApplyOp(&convOp{pass: convGradFilter, g: op.g, s: op.s, cols: op.cols, team: op.team}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	if !op.bias {
		return G.Nodes{dx, dw}, nil
	}
	db, err := G.ApplyOp(&convOp{pass: convGradBias, g: op.g, s: op.s, team: op.team}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}

// mat is a row-major matrix view for mul: element (i, j) is d[i*ld+j], or
// d[j*ld+i] when t.
type mat[T float32 | float64] struct {
	d  []T
	ld int
	t  bool
	p  *gemm.Packed // the same matrix packed for gemm, or nil
}

// mulFunc sets c (m x n, row stride ldc) to a·b, or adds it.
type mulFunc[T float32 | float64] func(workers, m, n, k int, a, b mat[T], c []T, ldc int, acc bool)

func mul32(workers, m, n, k int, a, b mat[float32], c []float32, ldc int, acc bool) {
	if a.p != nil {
		gemm.MulPacked(workers, n, a.p, gemm.Matrix{Data: b.d, Stride: b.ld, Trans: b.t}, c, ldc, acc)
		return
	}
	gemm.Mul(workers, m, n, k, gemm.Matrix{Data: a.d, Stride: a.ld, Trans: a.t}, gemm.Matrix{Data: b.d, Stride: b.ld, Trans: b.t}, c, ldc, acc)
}

func mul64(_, m, n, k int, a, b mat[float64], c []float64, ldc int, acc bool) {
	at := func(x mat[float64], i, j int) float64 {
		if x.t {
			return x.d[j*x.ld+i]
		}
		return x.d[i*x.ld+j]
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += at(a, i, p) * at(b, p, j)
			}
			if acc {
				c[i*ldc+j] += s
			} else {
				c[i*ldc+j] = s
			}
		}
	}
}

// convPass runs one pass. The forward and input-gradient passes give each
// image a result of its own, so with several workers the images are dealt
// out in contiguous shares, each worker gathering and multiplying its own
// alone (no barrier per group, columns still warm in its cache); the
// weight gradient, a sum over images, keeps the images in order and splits
// each product instead. Either way every sum is taken in the same order,
// so the result does not depend on the number of workers.
func convPass[T float32 | float64](t *team, pass int, g convGeom, s *scratch[T], keep *colSlot[T], in0, in1, out []T, mul mulFunc[T]) {
	if g.winograd(pass) {
		winogradPass(t, pass, g, s, in0, in1, out, mul)
		return
	}
	if pass == convGradFilter && g.winoGrad() {
		winogradFilterGrad(t, g, s, in0, in1, out, mul)
		return
	}
	im2colPass(t, pass, g, s, keep, in0, in1, out, mul)
}

// im2colPass is convPass through im2col (or, for 1x1 convolutions, the
// images themselves) and one matrix product per group of images.
func im2colPass[T float32 | float64](t *team, pass int, g convGeom, s *scratch[T], keep *colSlot[T], in0, in1, out []T, mul mulFunc[T]) {
	kept := usedCols(keep, pass, g, in0) // never reassigned: the closure below copies it, nothing escapes
	w := t.size()
	wm := weights(t, s, pass, g, in0, in1)
	if pass == convGradFilter || w <= 1 || g.b < w {
		convImages(t, pass, g, s, kept, wm, in0, in1, out, mul, 0, g.b)
	} else {
		parts := s.parts(w)
		one := &team{n: 1}
		workers.Run(w, func(i int) {
			convImages(one, pass, g, parts[i], kept, wm, in0, in1, out, mul, g.b*i/w, g.b*(i+1)/w)
		})
	}
	if kept != nil && pass == convForward {
		kept.src = &in0[0] // every column written: they hold this input now
	}
}

// usedCols is the kept columns a pass uses, or nil: the forward pass
// gathers into them (marked as holding no input until it has written them
// all), the weight gradient reads them when they hold its own input.
func usedCols[T float32 | float64](keep *colSlot[T], pass int, g convGeom, in0 []T) *colSlot[T] {
	switch {
	case keep == nil || g.pointwise():
		return nil
	case pass == convForward:
		keep.ensure(g)
		keep.src = nil
		return keep
	case pass == convGradFilter && keep.holds(in0):
		return keep
	}
	return nil
}

// packed returns a (m x k), in float32 packed into s once for all the
// product's column tiles: the weight gradient's dY, which the product would
// otherwise pack again for every tile of dW's columns.
func packed[T float32 | float64](t *team, s *scratch[T], a mat[T], m, k int) mat[T] {
	if d, ok := any(a.d).([]float32); ok {
		s.packed.Pack(t.size(), m, k, gemm.Matrix{Data: d, Stride: a.ld, Trans: a.t})
		a.p = &s.packed
	}
	return a
}

// weights is the left factor of every product of a forward (W, O x CKK) or
// input-gradient pass (Wᵀ, CKK x O); in float32 it is packed once into s
// for all the images' products (the packing of a large 1x1 layer on a small
// map costs about as much as one image's product).
func weights[T float32 | float64](t *team, s *scratch[T], pass int, g convGeom, in0, in1 []T) mat[T] {
	var a mat[T]
	var m, k int
	switch pass {
	case convForward:
		a, m, k = mat[T]{d: in1, ld: g.ckk()}, g.o, g.ckk()
	case convGradData:
		a, m, k = mat[T]{d: in0, ld: g.ckk(), t: true}, g.ckk(), g.o
	default:
		return a
	}
	return packed(t, s, a, m, k)
}

// convImages runs one pass over images lo..hi with team t, in groups (see
// convGeom.group): a group's columns are gathered once (or, with keep,
// gathered into the kept columns by the forward pass and read from them
// by the weight gradient), multiplied (by wm, the pass's weights, in the
// forward and input-gradient passes), and scattered back.
func convImages[T float32 | float64](t *team, pass int, g convGeom, s *scratch[T], keep *colSlot[T], wm mat[T], in0, in1, out []T, mul mulFunc[T], lo, hi int) {
	w := t.size()
	ckk, ohw, chw, ohwO := g.ckk(), g.ohw(), g.c*g.h*g.w, g.o*g.ohw()
	per := min(g.group(), hi-lo)
	if g.pointwise() && pass != convGradFilter && min(g.pointwiseGroup(), hi-lo) > 1 {
		pointwiseGroups(w, pass, g, s, wm, in0, in1, out, mul, lo, hi)
		return
	}
	if g.pointwise() { // one image at a time, read and written in place
		for b := lo; b < hi; b++ {
			switch pass {
			case convForward: // y_b = W · x_b
				mul(w, g.o, ohw, ckk, wm, mat[T]{d: in0[b*chw : (b+1)*chw], ld: ohw}, out[b*ohwO:(b+1)*ohwO], ohw, false)
			case convGradData: // dx_b = Wᵀ · dy_b
				mul(w, ckk, ohw, g.o, wm, mat[T]{d: in1[b*ohwO : (b+1)*ohwO], ld: ohw}, out[b*chw:(b+1)*chw], ohw, false)
			case convGradFilter: // dW += dy_b · x_bᵀ
				mul(w, g.o, ckk, ohw, mat[T]{d: in1[b*ohwO : (b+1)*ohwO], ld: ohw}, mat[T]{d: in0[b*chw : (b+1)*chw], ld: ohw, t: true}, out, ckk, b > lo)
			}
		}
		return
	}
	colSize := ckk * per * ohw
	if keep != nil {
		colSize = 0
	}
	colBuf, ymat := s.buffers(colSize, g.o*per*ohw)
	if pass == convGradData {
		clear(out[lo*chw : hi*chw])
	}
	for b0, nb := lo, 0; b0 < hi; b0 += nb {
		nb = min(per, hi-b0)
		var col mat[T]
		if keep != nil { // the group's kept columns, not past its end
			g0, kn, _ := g.colBlock(b0)
			nb, col = min(nb, g0+kn-b0), kept(keep, g, b0)
		} else {
			col = mat[T]{d: colBuf[:ckk*nb*ohw], ld: nb * ohw}
		}
		n := nb * ohw
		ymat := ymat[:g.o*n]
		switch pass {
		case convForward: // y = W (O x CKK) · col (CKK x n)
			im2cols(t, g, in0, col, b0, nb)
			dst, ld := ymat, n
			if nb == 1 {
				dst = out[b0*ohwO : (b0+1)*ohwO]
			}
			mul(w, g.o, n, ckk, wm, col, dst, ld, false)
			if nb > 1 {
				scatter(g, ymat, out, b0, nb)
			}
		case convGradData: // dcol = Wᵀ (CKK x O) · dY (O x n), then col2im
			dy := gather(g, in1, ymat, b0, nb)
			mul(w, ckk, n, g.o, wm, mat[T]{d: dy, ld: n}, col.d, n, false)
			t.parallelFor(nb, 1, func(lo, hi int) {
				for j := lo; j < hi; j++ {
					col2im(g, col.d, n, j*ohw, out[(b0+j)*chw:(b0+j+1)*chw])
				}
			})
		case convGradFilter: // dW (O x CKK) += dY (O x n) · colᵀ (n x CKK)
			if keep == nil {
				im2cols(t, g, in0, col, b0, nb)
			}
			dy := packed(t, s, mat[T]{d: gather(g, in1, ymat, b0, nb), ld: n}, g.o, n)
			mul(w, g.o, ckk, n, dy, mat[T]{d: col.d, ld: col.ld, t: true}, out, ckk, b0 > lo)
		}
	}
}

// pointwiseGroup is how many images of a 1x1 convolution share one
// product in the forward and input-gradient passes: on small maps (fewer
// than 256 positions) a product per image has too few columns to fill the
// kernel's panels, and its call costs more than its arithmetic, so the
// images are copied side by side into columns of about 256. Each output
// still sums the same products in the same order: the bits are those of a
// product per image. The weight gradient, a sum over images, keeps one
// product per image, whose order of sums its bits depend on.
func (g convGeom) pointwiseGroup() int {
	return min(g.b, 256/max(1, g.ohw()))
}

// pointwiseGroups runs the forward (y = W · x) or input-gradient (dx =
// Wᵀ · dy) pass of a 1x1 convolution over images lo..hi, pointwiseGroup
// images per product, gathered into and scattered from s's buffers.
func pointwiseGroups[T float32 | float64](w, pass int, g convGeom, s *scratch[T], wm mat[T], in0, in1, out []T, mul mulFunc[T], lo, hi int) {
	per, ohw := min(g.pointwiseGroup(), hi-lo), g.ohw()
	xbuf, ybuf := s.buffers(g.c*per*ohw, g.o*per*ohw)
	for b0, nb := lo, 0; b0 < hi; b0 += nb {
		nb = min(per, hi-b0)
		n := nb * ohw
		if pass == convForward {
			x := gatherRows(in0, xbuf, b0, nb, g.c, ohw)
			mul(w, g.o, n, g.c, wm, mat[T]{d: x, ld: n}, ybuf, n, false)
			scatterRows(ybuf, out, b0, nb, g.o, ohw)
			continue
		}
		dy := gatherRows(in1, ybuf, b0, nb, g.o, ohw)
		mul(w, g.c, n, g.o, wm, mat[T]{d: dy, ld: n}, xbuf, n, false)
		scatterRows(xbuf, out, b0, nb, g.c, ohw)
	}
}

// im2cols lays out images b0..b0+nb of x side by side in the columns col
// (image j from column j x OH x OW), in parallel: by images, or by
// channels when there are fewer images than workers.
func im2cols[T float32 | float64](t *team, g convGeom, x []T, col mat[T], b0, nb int) {
	chw, ohw := g.c*g.h*g.w, g.ohw()
	parts := 1
	if w := t.size(); nb < w {
		parts = min(g.c, (w+nb-1)/nb)
	}
	t.parallelFor(nb*parts, 1, func(lo, hi int) {
		for u := lo; u < hi; u++ {
			j, part := u/parts, u%parts
			im2col(g, x[(b0+j)*chw:(b0+j+1)*chw], col.d, col.ld, j*ohw, g.c*part/parts, g.c*(part+1)/parts)
		}
	})
}

// gather returns dy of images b0..b0+nb as an O x (nb*OH*OW) matrix: the
// tensor itself for one image, else copied into buf.
func gather[T float32 | float64](g convGeom, dy, buf []T, b0, nb int) []T {
	return gatherRows(dy, buf, b0, nb, g.o, g.ohw())
}

// gatherRows returns images b0..b0+nb of t (each rows x hw) as one rows x
// (nb*hw) matrix, image j from column j*hw: t itself for one image, else
// copied into buf.
func gatherRows[T float32 | float64](t, buf []T, b0, nb, rows, hw int) []T {
	size := rows * hw
	if nb == 1 {
		return t[b0*size : (b0+1)*size]
	}
	n := nb * hw
	for j := 0; j < nb; j++ {
		img := t[(b0+j)*size : (b0+j+1)*size]
		for r := 0; r < rows; r++ {
			move(buf[r*n+j*hw:r*n+(j+1)*hw], img[r*hw:(r+1)*hw])
		}
	}
	return buf[:rows*n]
}

// move copies src into dst (as long): short runs (the rows of a 4x4 or
// 2x2 map) in a loop, where copy's call to memmove costs more than the
// values.
func move[T float32 | float64](dst, src []T) {
	if len(src) >= minRun {
		copy(dst, src)
		return
	}
	dst = dst[:len(src)]
	for i := 0; i < len(src); i++ {
		dst[i] = src[i]
	}
}

// scatter copies an O x (nb*OH*OW) product into images b0..b0+nb of y.
func scatter[T float32 | float64](g convGeom, m, y []T, b0, nb int) {
	scatterRows(m, y, b0, nb, g.o, g.ohw())
}

// scatterRows copies a rows x (nb*hw) matrix into images b0..b0+nb of t
// (each rows x hw): gatherRows' inverse.
func scatterRows[T float32 | float64](m, t []T, b0, nb, rows, hw int) {
	size, n := rows*hw, nb*hw
	for j := 0; j < nb; j++ {
		img := t[(b0+j)*size : (b0+j+1)*size]
		for r := 0; r < rows; r++ {
			move(img[r*hw:(r+1)*hw], m[r*n+j*hw:r*n+(j+1)*hw])
		}
	}
}
