package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// bnCase is one batch norm on its own graph: input x (B, C, H, W), weight
// and bias (1, C, 1, 1), the output's value and, when grad, the gradient of
// sum(y * r) with respect to x, weight and bias.
type bnCase struct {
	g          *G.ExprGraph
	op         *bnOp
	x, w, b, y *G.Node
	out        G.Value
	vm         G.VM
}

func newBNCase[T float32 | float64](t *testing.T, shape []int, grad bool, seed uint64) *bnCase {
	t.Helper()
	var zero T
	dt := tensor.Float64
	if _, ok := any(zero).(float32); ok {
		dt = tensor.Float32
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	vals := func(n int, shift float64) []T {
		out := make([]T, n)
		for i := range out {
			out[i] = T(shift + 3*rng.Float64())
		}
		return out
	}
	size := 1
	for _, d := range shape {
		size *= d
	}
	c := shape[1]
	pshape := []int{1, c, 1, 1}
	bc := &bnCase{g: G.NewGraph()}
	bc.x = G.NewTensor(bc.g, dt, 4, G.WithShape(shape...), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(vals(size, 2)))))
	bc.w = G.NewTensor(bc.g, dt, 4, G.WithShape(pshape...), G.WithName("w"),
		G.WithValue(tensor.New(tensor.WithShape(pshape...), tensor.WithBacking(vals(c, -1)))))
	bc.b = G.NewTensor(bc.g, dt, 4, G.WithShape(pshape...), G.WithName("b"),
		G.WithValue(tensor.New(tensor.WithShape(pshape...), tensor.WithBacking(vals(c, -1)))))
	bc.op = &bnOp{bnState: newBNState(shape, dt, nil)}
	var err error
	if bc.y, err = G.ApplyOp(bc.op, bc.x, bc.w, bc.b); err != nil {
		t.Fatal(err)
	}
	G.Read(bc.y, &bc.out)
	if !grad {
		bc.vm = G.NewTapeMachine(bc.g)
		return bc
	}
	r := G.NewTensor(bc.g, dt, 4, G.WithShape(shape...), G.WithName("r"),
		G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(vals(size, -1.5)))))
	prod, err := G.HadamardProd(bc.y, r)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(loss, bc.x, bc.w, bc.b); err != nil {
		t.Fatal(err)
	}
	bc.vm = G.NewTapeMachine(bc.g, G.BindDualValues(bc.x, bc.w, bc.b))
	return bc
}

func (bc *bnCase) run(t *testing.T) {
	t.Helper()
	bc.vm.Reset()
	if err := bc.vm.RunAll(); err != nil {
		t.Fatal(err)
	}
}

// TestBatchNormAgainstReference checks training mode (batch statistics,
// biased variance) and the running statistics PyTorch keeps (momentum 0.1,
// unbiased variance), then evaluation mode with them, in float64.
func TestBatchNormAgainstReference(t *testing.T) {
	shape := []int{3, 2, 2, 3}
	bc := newBNCase[float64](t, shape, false, 1)
	defer bc.vm.Close()
	const steps = 2
	for range steps {
		bc.run(t)
	}
	x := bc.x.Value().Data().([]float64)
	w, b := bc.w.Value().Data().([]float64), bc.b.Value().Data().([]float64)
	y := bc.out.Data().([]float64) // the op's output buffer, rewritten by each run
	n := float64(shape[0] * shape[2] * shape[3])
	rm, rv := bc.op.runMean.Data().([]float64), bc.op.runVar.Data().([]float64)
	c := shape[1]
	idx := make([][]int, c) // each channel's elements
	mean, ss := make([]float64, c), make([]float64, c)
	for ch := range c {
		for bi := range shape[0] {
			for s := range shape[2] * shape[3] {
				idx[ch] = append(idx[ch], (bi*c+ch)*shape[2]*shape[3]+s)
			}
		}
		for _, i := range idx[ch] {
			mean[ch] += x[i] / n
		}
		for _, i := range idx[ch] {
			ss[ch] += (x[i] - mean[ch]) * (x[i] - mean[ch])
		}
	}
	check := func(stage string, m, v func(ch int) float64) {
		t.Helper()
		for ch := range c {
			for _, i := range idx[ch] {
				want := (x[i]-m(ch))/math.Sqrt(v(ch)+1e-5)*w[ch] + b[ch]
				if math.Abs(y[i]-want) > 1e-12 {
					t.Fatalf("%s: y[%d] = %.15g, want %.15g", stage, i, y[i], want)
				}
			}
		}
	}
	check("training", func(ch int) float64 { return mean[ch] }, func(ch int) float64 { return ss[ch] / n })
	// The same batch each step: running = (1 - 0.9^steps) * batch + 0.9^steps * start.
	keep := math.Pow(0.9, steps)
	wantMean := func(ch int) float64 { return (1 - keep) * mean[ch] }
	wantVar := func(ch int) float64 { return (1-keep)*ss[ch]/(n-1) + keep }
	for ch := range c {
		if math.Abs(rm[ch]-wantMean(ch)) > 1e-12 || math.Abs(rv[ch]-wantVar(ch)) > 1e-12 {
			t.Fatalf("channel %d: running %g %g, want %g %g", ch, rm[ch], rv[ch], wantMean(ch), wantVar(ch))
		}
	}
	if err := bc.op.SetTraining(false); err != nil {
		t.Fatal(err)
	}
	before := append([]float64(nil), rm...)
	bc.run(t)
	check("evaluation", func(ch int) float64 { return before[ch] }, wantVar)
	if err := bc.op.SetTraining(true); err != nil {
		t.Fatal(err)
	}
	bc.run(t) // training again: batch statistics, the running ones kept and moved on
	check("training again", func(ch int) float64 { return mean[ch] }, func(ch int) float64 { return ss[ch] / n })
	for ch := range c {
		if math.Abs(rm[ch]-(before[ch]*0.9+0.1*mean[ch])) > 1e-12 {
			t.Fatalf("channel %d: running mean %g after going back to training, want %g", ch, rm[ch], before[ch]*0.9+0.1*mean[ch])
		}
	}
}

// TestBatchNormSameOnAnyCores: forward and backward give the same bits on
// one core and on two (each channel is reduced by one goroutine).
func TestBatchNormSameOnAnyCores(t *testing.T) {
	shape := []int{8, 6, 24, 24} // enough per channel for the work to be split
	outputs := func() [][]float32 {
		bc := newBNCase[float32](t, shape, true, 2)
		defer bc.vm.Close()
		bc.run(t)
		res := [][]float32{append([]float32(nil), bc.out.Data().([]float32)...)}
		for _, nd := range []*G.Node{bc.x, bc.w, bc.b} {
			g, err := nd.Grad()
			if err != nil {
				t.Fatal(err)
			}
			res = append(res, append([]float32(nil), g.Data().([]float32)...))
		}
		return res
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one := outputs()
	runtime.GOMAXPROCS(2)
	two := outputs()
	for k := range one {
		for i := range one[k] {
			if math.Float32bits(one[k][i]) != math.Float32bits(two[k][i]) {
				t.Fatalf("output %d [%d]: %g on one core, %g on two", k, i, one[k][i], two[k][i])
			}
		}
	}
}

// TestBatchNormNeedsTwoValues: a batch norm that would see one value per
// channel in a training step (a batch of one, or as many replicas as
// images, on a (B, N) input) is refused at compile time: it would put out
// its bias and pass no gradient back.
func TestBatchNormNeedsTwoValues(t *testing.T) {
	var rebuild func(Config) (*Net, error)
	rebuild = func(c Config) (*Net, error) {
		n, x := New(c)
		h := n.BatchNorm("bn", n.Dense("fc1", n.Flatten("f", x), 4)).ReLU()
		if err := n.SetOutput(n.Dense("fc2", h, c.Classes)); err != nil {
			return nil, err
		}
		n.SetRebuild(rebuild)
		return n, nil
	}
	four, err := rebuild(Config{Batch: 4, Input: [3]int{1, 2, 2}, Classes: 2})
	if err == nil {
		err = four.Init(1)
	}
	if err != nil {
		t.Fatal(err)
	}
	one, err := rebuild(Config{Batch: 1, Input: [3]int{1, 2, 2}, Classes: 2})
	if err == nil {
		err = one.Init(1)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(one); err == nil || !strings.Contains(err.Error(), "1 value per channel") {
		t.Fatalf("batch 1: %v", err)
	}
	if _, err := CompileReplicas(four, 4); err == nil || !strings.Contains(err.Error(), "1 value per channel") {
		t.Fatalf("4 replicas of a batch of 4: %v", err)
	}
}

// TestBatchNormFloat32Gradient: with a mean large against the spread the
// float32 input gradient stays close to float64's (the mean is taken off x
// before the products).
func TestBatchNormFloat32Gradient(t *testing.T) {
	shape := []int{4, 2, 3, 3}
	grads := func(f32 bool) []float64 {
		var out []float64
		var x, dy []float64
		rng := rand.New(rand.NewPCG(9, 9))
		for range 72 {
			x = append(x, float64(float32(1e4+0.01*rng.Float64()))) // the same inputs for both
			dy = append(dy, rng.Float64()-0.5)
		}
		if f32 {
			st := newBNState(shape, tensor.Float32, nil)
			xs, ds := make([]float32, 72), make([]float32, 72)
			for i := range x {
				xs[i], ds[i] = float32(x[i]), float32(dy[i])
			}
			out32 := bnGradientOf(t, st, xs, ds)
			for _, v := range out32 {
				out = append(out, float64(v))
			}
			return out
		}
		return bnGradientOf(t, newBNState(shape, tensor.Float64, nil), x, dy)
	}
	g32, g64 := grads(true), grads(false)
	var scale float64
	for _, v := range g64 {
		scale = math.Max(scale, math.Abs(v))
	}
	var worst float64
	for i := range g64 {
		worst = math.Max(worst, math.Abs(g32[i]-g64[i])/scale)
	}
	t.Logf("largest float32 error %.3g of the largest |dx|", worst)
	for i := range g64 {
		if math.Abs(g32[i]-g64[i]) > 1e-5*scale { // folding the mean into a constant gave 4.5e-3
			t.Fatalf("dx[%d]: float32 %g, float64 %g (largest %g)", i, g32[i], g64[i], scale)
		}
	}
}

// bnGradientOf runs the forward pass (weight 1, bias 0) and the two
// gradient ops of st on x and dy and returns dx.
func bnGradientOf[T float32 | float64](t *testing.T, st *bnState, x, dy []T) []T {
	t.Helper()
	c := st.c
	ones, zeros := make([]T, c), make([]T, c)
	for i := range ones {
		ones[i] = 1
	}
	val := func(d []T, shape ...int) G.Value {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
	}
	pshape := []int{1, c, 1, 1}
	fwd := &bnOp{bnState: st}
	if _, err := fwd.Do(val(x, st.shape...), val(ones, pshape...), val(zeros, pshape...)); err != nil {
		t.Fatal(err)
	}
	sums, err := (&bnSumsOp{bnState: st}).Do(val(x, st.shape...), val(dy, st.shape...))
	if err != nil {
		t.Fatal(err)
	}
	dx, err := (&bnGradOp{bnState: st}).Do(val(x, st.shape...), val(ones, pshape...), val(dy, st.shape...), sums)
	if err != nil {
		t.Fatal(err)
	}
	return dx.Data().([]T)
}

// TestBatchNormReLUMatchesTwoLayers: the fused BatchNormReLU and
// BatchNormReLU6 give the ledger, the loss, every gradient and the running
// statistics of BatchNorm then ReLU or ReLU6, bit for bit, on one core and
// on two (the float64 gradient checks cover their derivatives). Batch
// norm's scale is 4, so that ReLU6 clamps at 6 too.
func TestBatchNormReLUMatchesTwoLayers(t *testing.T) {
	type result struct {
		ledger string
		loss   float64
		values [][]float32
	}
	run := func(fused, six bool) result {
		n, x := New(Config{Batch: 6, Input: [3]int{3, 7, 7}, Classes: 4})
		h := n.Conv("c", x, 5, K(3), Pad(1), NoBias())
		bnRelu := func(name string, h *Tensor) *Tensor {
			switch {
			case fused && six:
				return n.BatchNormReLU6(name, h)
			case fused:
				return n.BatchNormReLU(name, h)
			case six:
				return n.BatchNorm(name, h).ReLU6()
			}
			return n.BatchNorm(name, h).ReLU()
		}
		h = n.MaxPool("p", bnRelu("c/bn", h), 2, 2, 0)
		h = bnRelu("fc/bn", n.Dense("fc", n.Flatten("f", h), 8))
		if err := n.SetOutput(n.Dense("out", h, 4)); err != nil {
			t.Fatal(err)
		}
		if err := n.Init(5); err != nil {
			t.Fatal(err)
		}
		for _, prm := range n.params {
			if strings.HasSuffix(prm.Name, "bn/weight") {
				for i, v := range prm.Node.Value().Data().([]float32) {
					prm.Node.Value().Data().([]float32)[i] = 4 * v
				}
			}
		}
		rng := rand.New(rand.NewPCG(3, 3))
		p := compiled(t, n, rng, func(r *rand.Rand) float32 { return float32(r.NormFloat64()) }, []int{0, 2, 1, 1, 3, 0})
		defer p.Close()
		r := result{ledger: fmt.Sprintf("%+v", n.Ledger())}
		for range 2 { // the second step normalises with statistics the first moved
			if err := p.Step(rng); err != nil {
				t.Fatal(err)
			}
		}
		r.loss = p.Loss()
		g, err := p.Grads()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range g {
			r.values = append(r.values, append([]float32(nil), v...))
		}
		if err := p.Forward(); err != nil { // evaluation mode: the running statistics
			t.Fatal(err)
		}
		r.values = append(r.values, append([]float32(nil), p.Logits()...))
		state, err := n.State()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range state {
			r.values = append(r.values, append([]float32(nil), s.Tensor.Data().([]float32)...))
		}
		return r
	}
	for _, c := range []struct {
		cores int
		six   bool
	}{{1, false}, {2, false}, {1, true}, {2, true}} {
		cores := c.cores
		prev := runtime.GOMAXPROCS(cores)
		fused, two := run(true, c.six), run(false, c.six)
		runtime.GOMAXPROCS(prev)
		if fused.ledger != two.ledger {
			t.Fatalf("%d cores: ledger\n%s\nwant\n%s", cores, fused.ledger, two.ledger)
		}
		if math.Float64bits(fused.loss) != math.Float64bits(two.loss) || len(fused.values) != len(two.values) {
			t.Fatalf("%d cores: loss %v, two layers %v", cores, fused.loss, two.loss)
		}
		for i := range fused.values {
			for j := range fused.values[i] {
				if math.Float32bits(fused.values[i][j]) != math.Float32bits(two.values[i][j]) {
					t.Fatalf("%d cores: tensor %d element %d: %v, two layers %v", cores, i, j, fused.values[i][j], two.values[i][j])
				}
			}
		}
	}
}
