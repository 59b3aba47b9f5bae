package graph

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// refLogSoftmax is log softmax of one row in float64, by the textbook
// log-sum-exp.
func refLogSoftmax(x []float64) []float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	var s float64
	for _, v := range x {
		s += math.Exp(v - m)
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v - m - math.Log(s)
	}
	return out
}

// TestLogSoftmaxLargeLeadingLogit is the case Gorgonia's float32 kernel gets
// wrong: a row whose first logit leads by more than 88 came out -Inf (and
// the loss NaN). Every row must match the float64 reference.
func TestLogSoftmaxLargeLeadingLogit(t *testing.T) {
	rows := [][]float64{
		{0, 0, 0},
		{100, 0, 0},    // first logit leads by 100: exp(100) overflows float32
		{0, -1e4, 5},   // a very negative logit
		{300, 299, -3}, // large but close
		{-7, -7, -7},
	}
	g := G.NewGraph()
	var flat []float32
	for _, r := range rows {
		for _, v := range r {
			flat = append(flat, float32(v))
		}
	}
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(len(rows), 3), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(len(rows), 3), tensor.WithBacking(flat))))
	y, err := logSoftmax(x)
	if err != nil {
		t.Fatal(err)
	}
	var out G.Value
	G.Read(y, &out)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := out.Data().([]float32)
	for i, r := range rows {
		for j, want := range refLogSoftmax(r) {
			v := float64(got[i*3+j])
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("row %v: log softmax[%d] = %g, want %g", r, j, v, want)
			}
		}
	}
}

// TestCrossEntropyGradient checks the loss the training loop minimises (mean
// cross-entropy of log softmax) against central finite differences in
// float64, with respect to the logits' dense layer and the input.
func TestCrossEntropyGradient(t *testing.T) {
	const batch, classes = 4, 5
	n, x := New(Config{Batch: batch, Input: [3]int{2, 2, 2}, Classes: classes, DType: tensor.Float64, InputGrad: true})
	if err := n.SetOutput(n.Dense("d", n.Flatten("f", x), classes)); err != nil {
		t.Fatal(err)
	}
	if err := n.Init(11); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, p := range n.Params() {
		for i := range p.Node.Value().Data().([]float64) {
			p.Node.Value().Data().([]float64)[i] += 2 * (rng.Float64() - 0.5)
		}
	}
	if err := G.Let(x.node, tensor.New(tensor.WithShape(x.Shape()...), tensor.WithBacking(unitValues(rng, batch*8)))); err != nil {
		t.Fatal(err)
	}
	onehot := make([]float64, batch*classes)
	for b := range batch {
		onehot[b*classes+rng.IntN(classes)] = 1
	}
	if err := G.Let(n.labels, tensor.New(tensor.WithShape(batch, classes), tensor.WithBacking(onehot))); err != nil {
		t.Fatal(err)
	}
	var lossVal G.Value
	G.Read(n.loss, &lossVal)
	wrt := append(G.Nodes{x.node}, n.Learnables()...)
	if _, err := G.Grad(n.loss, wrt...); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(n.g, G.BindDualValues(wrt...))
	defer vm.Close()
	run := func() float64 {
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		return lossVal.Data().(float64)
	}
	run()
	analytics := make([][]float64, len(wrt))
	for i, node := range wrt {
		g, err := node.Grad()
		if err != nil {
			t.Fatal(err)
		}
		analytics[i] = append([]float64(nil), g.Data().([]float64)...)
	}
	for k, node := range wrt {
		vals := node.Value().Data().([]float64)
		const h = 1e-5
		for i := range vals {
			orig := vals[i]
			vals[i] = orig + h
			up := run()
			vals[i] = orig - h
			down := run()
			vals[i] = orig
			numeric := (up - down) / (2 * h)
			if diff := math.Abs(numeric - analytics[k][i]); diff > 1e-7+1e-5*math.Abs(numeric) {
				t.Fatalf("%s[%d]: analytic %.9g, numeric %.9g", node.Name(), i, analytics[k][i], numeric)
			}
		}
	}
}

// TestLogSoftmaxGradFlushesSubnormals: in float32, the backward pass of a
// confident row gives zeros where its gradient would be subnormal (e^-95),
// keeps normal ones (e^-80 is about 1.8e-35), and float64 keeps everything.
func TestLogSoftmaxGradFlushesSubnormals(t *testing.T) {
	logp := []float64{0, -95, -80}
	dy := []float64{-1, 0, 0}
	op := &logSoftmaxOp{shape: []int{1, 3}, grad: true}
	out32 := make([]float32, 3)
	in32 := []G.Value{tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float32{0, -95, -80})),
		tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float32{-1, 0, 0}))}
	if err := logSoftmaxRun(op, out32, in32); err != nil {
		t.Fatal(err)
	}
	if out32[1] != 0 || out32[2] != float32(math.Exp(-80)) {
		t.Fatalf("float32 gradient %v: want 0 for the subnormal e^-95 and %g kept", out32, float32(math.Exp(-80)))
	}
	out64 := make([]float64, 3)
	in64 := []G.Value{tensor.New(tensor.WithShape(1, 3), tensor.WithBacking(logp)), tensor.New(tensor.WithShape(1, 3), tensor.WithBacking(dy))}
	if err := logSoftmaxRun(op, out64, in64); err != nil {
		t.Fatal(err)
	}
	if out64[1] != math.Exp(-95) {
		t.Fatalf("float64 gradient %v: want e^-95 kept", out64)
	}
}
