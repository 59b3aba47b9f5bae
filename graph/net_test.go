package graph

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// forward builds one layer on a float64 Net with the given input values and
// returns its output after one forward run of a plain machine.
func forward(t *testing.T, in [3]int, batch int, x []float64, build func(n *Net, x *Tensor) *Tensor) ([]float64, []int) {
	t.Helper()
	n, xt := New(Config{Batch: batch, Input: in, Classes: 1, DType: tensor.Float64})
	out := build(n, xt)
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	if err := n.Init(1); err != nil {
		t.Fatal(err)
	}
	if err := G.Let(xt.node, tensor.New(tensor.WithShape(xt.Shape()...), tensor.WithBacking(x))); err != nil {
		t.Fatal(err)
	}
	var v G.Value
	G.Read(out.node, &v)
	vm := G.NewTapeMachine(n.g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return v.Data().([]float64), out.Shape()
}

func seq(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i + 1)
	}
	return out
}

// TestAvgPoolValues checks the average against a direct computation,
// padding counted as zeros (PyTorch's count_include_pad=True).
func TestAvgPoolValues(t *testing.T) {
	x := seq(2 * 4 * 4)
	got, shape := forward(t, [3]int{2, 4, 4}, 1, x, func(n *Net, x *Tensor) *Tensor { return n.AvgPool("p", x, 3, 2, 1) })
	if want := []int{1, 2, 2, 2}; !tensor.Shape(shape).Eq(tensor.Shape(want)) {
		t.Fatalf("shape %v, want %v", shape, want)
	}
	i := 0
	for c := 0; c < 2; c++ {
		for oh := 0; oh < 2; oh++ {
			for ow := 0; ow < 2; ow++ {
				var sum float64
				for kh := 0; kh < 3; kh++ {
					for kw := 0; kw < 3; kw++ {
						h, w := oh*2-1+kh, ow*2-1+kw
						if h >= 0 && h < 4 && w >= 0 && w < 4 {
							sum += x[c*16+h*4+w]
						}
					}
				}
				if math.Abs(got[i]-sum/9) > 1e-12 {
					t.Fatalf("output %d: %v, want %v", i, got[i], sum/9)
				}
				i++
			}
		}
	}
}

func TestMaxPoolAndGAPValues(t *testing.T) {
	x := []float64{1, 5, 2, 0, 3, 4, 9, 8, -1, -2, -3, -4, -5, -6, -7, -8}
	got, _ := forward(t, [3]int{1, 4, 4}, 1, x, func(n *Net, x *Tensor) *Tensor { return n.MaxPool("p", x, 2, 2, 0) })
	if want := []float64{5, 9, -1, -3}; !equal(got, want) {
		t.Fatalf("max pool %v, want %v", got, want)
	}
	got, shape := forward(t, [3]int{2, 2, 2}, 1, seq(8), func(n *Net, x *Tensor) *Tensor { return n.GlobalAvgPool("g", x) })
	if want := []float64{2.5, 6.5}; !equal(got, want) || len(shape) != 4 {
		t.Fatalf("global average %v (shape %v), want %v", got, shape, want)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

func TestLedgerCosts(t *testing.T) {
	n, x := New(Config{Input: [3]int{192, 28, 28}, Classes: 10})
	c := n.Conv("conv", x, 256, K(3), Pad(1))
	bn := n.BatchNorm("bn", c)
	p := n.MaxPool("pool", bn.ReLU(), 3, 2, 1)
	n.Dense("fc", n.Flatten("flat", n.GlobalAvgPool("gap", p)), 10)
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	rows := n.Ledger()
	want := []Layer{
		{Name: "conv", Kind: KindConv, OutShape: []int{256, 28, 28}, Params: 192*256*9 + 256, MACs: 192 * 256 * 9 * 28 * 28, Other: 256 * 28 * 28},
		{Name: "bn", Kind: KindBatchNorm, OutShape: []int{256, 28, 28}, Params: 512, NonTrainable: 512, Other: 2 * 256 * 28 * 28},
		{Name: "bn/relu", Kind: KindReLU, OutShape: []int{256, 28, 28}, Other: 256 * 28 * 28},
		{Name: "pool", Kind: KindMaxPool, OutShape: []int{256, 14, 14}, Other: 9 * 256 * 14 * 14},
		{Name: "gap", Kind: KindGAP, OutShape: []int{256, 1, 1}, Other: 256 * 14 * 14},
		{Name: "flat", Kind: KindFlatten, OutShape: []int{256}},
		{Name: "fc", Kind: KindDense, OutShape: []int{10}, Params: 2570, MACs: 2560, Other: 10},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %v", len(rows), len(want), rows)
	}
	for i := range want {
		g, w := rows[i], want[i]
		if g.Name != w.Name || g.Kind != w.Kind || !tensor.Shape(g.OutShape).Eq(tensor.Shape(w.OutShape)) ||
			g.Params != w.Params || g.NonTrainable != w.NonTrainable || g.MACs != w.MACs || g.Other != w.Other {
			t.Errorf("row %d: %+v, want %+v", i, g, w)
		}
	}
	var params int64
	for _, p := range n.Params() {
		params += p.Size()
	}
	if tot := Sum(rows); tot.Params != params {
		t.Errorf("ledger params %d, parameters created %d", tot.Params, params)
	}
	if rows[0].Stage() != "conv" {
		t.Errorf("stage %q", rows[0].Stage())
	}
}

func TestBuildErrors(t *testing.T) {
	cases := []struct {
		name  string
		build func(n *Net, x *Tensor) *Tensor
		want  string
	}{
		{"duplicate", func(n *Net, x *Tensor) *Tensor { n.Conv("a", x, 2); return n.Conv("a", x, 2) }, `"a" used twice`},
		{"too small", func(n *Net, x *Tensor) *Tensor { return n.Conv("big", x, 2, K(11), Stride(4)) }, "smaller than the kernel"},
		{"pool too small", func(n *Net, x *Tensor) *Tensor { return n.MaxPool("p", x, 9, 1, 0) }, "smaller than the kernel"},
		{"dense on 4-D", func(n *Net, x *Tensor) *Tensor { return n.Dense("d", x, 3) }, "flatten first"},
		{"concat mismatch", func(n *Net, x *Tensor) *Tensor { return n.Concat("c", x, n.MaxPool("p", x, 2, 2, 0)) }, "does not match"},
		{"add mismatch", func(n *Net, x *Tensor) *Tensor { return n.Add("r", x, n.Conv("c", x, 3)) }, "differ"},
		{"bad name", func(n *Net, x *Tensor) *Tensor { return n.Conv("a//b", x, 2) }, "joined by '/'"},
		{"dot in name", func(n *Net, x *Tensor) *Tensor { return n.Conv("block.conv", x, 2) }, `"." is not allowed`},
		{"space in name", func(n *Net, x *Tensor) *Tensor { return n.Conv("my conv", x, 2) }, `" " is not allowed`},
		{"pool padding over half the window", func(n *Net, x *Tensor) *Tensor { return n.MaxPool("p", x, 2, 1, 2) }, "more than half"},
		{"dropout p", func(n *Net, x *Tensor) *Tensor { return n.Dropout("d", x, 1) }, "want 0 <= p < 1"},
		{"error sticks", func(n *Net, x *Tensor) *Tensor { return n.Conv("ok", n.Conv("a//b", x, 2), 2) }, "joined by '/'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, x := New(Config{Input: [3]int{2, 8, 8}, Classes: 10})
			out := c.build(n, x)
			if n.Err() == nil || !strings.Contains(n.Err().Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", n.Err(), c.want)
			}
			if out.Node() != nil || out.Shape() != nil {
				t.Fatal("a failed layer returned a node")
			}
		})
	}
}

func TestInitIsSeeded(t *testing.T) {
	values := func(seed uint64) []float32 {
		n, x := New(Config{Input: [3]int{1, 6, 6}, Classes: 3})
		n.Dense("fc", n.Flatten("f", n.Conv("c", x, 2, K(3))), 3)
		if err := n.Init(seed); err != nil {
			t.Fatal(err)
		}
		var out []float32
		for _, p := range n.Params() {
			out = append(out, p.Node.Value().Data().([]float32)...)
		}
		return out
	}
	a, b, c := values(1), values(1), values(2)
	same := func(x, y []float32) bool {
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
				return false
			}
		}
		return true
	}
	if !same(a, b) {
		t.Error("the same seed gave different weights")
	}
	if same(a, c) {
		t.Error("different seeds gave the same weights")
	}
	// Glorot uniform bound for the conv weight: sqrt(6/(9+18)).
	bound := float32(math.Sqrt(6.0 / 27))
	for _, v := range a[:18] {
		if v < -bound || v > bound {
			t.Fatalf("conv weight %v outside ±%v", v, bound)
		}
	}
}

// TestModes checks that evaluation uses the running statistics, that
// dropout passes everything through in evaluation, and that switching modes
// keeps the running statistics.
func TestModes(t *testing.T) {
	n, x := New(Config{Batch: 8, Input: [3]int{2, 3, 3}, Classes: 4})
	h := n.Dropout("drop", n.Flatten("f", n.BatchNorm("bn", x)), 0.5)
	if err := n.SetOutput(n.Dense("fc", h, 4)); err != nil {
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
	rng := rand.New(rand.NewPCG(1, 1))
	in := p.Input()
	for i := range in {
		in[i] = 3 + 2*rng.Float32()
	}
	if err := p.SetLabels([]int{0, 1, 2, 3, 0, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	state := func() []float32 {
		s, err := n.State()
		if err != nil {
			t.Fatal(err)
		}
		mean := s[len(s)-2].Tensor.Data().([]float32)
		return append([]float32(nil), mean...)
	}
	if m := state(); m[0] != 0 {
		t.Fatalf("running mean starts at %v, want 0", m[0])
	}
	if err := p.Step(rng); err != nil {
		t.Fatal(err)
	}
	afterTrain := state()
	if afterTrain[0] < 0.3 || afterTrain[0] > 0.4 { // 0.1 * batch mean (about 4)
		t.Fatalf("running mean after one step %v, want about 0.4", afterTrain[0])
	}
	if err := p.Forward(); err != nil {
		t.Fatal(err)
	}
	eval1 := append([]float32(nil), p.Logits()...)
	if err := p.Step(rng); err != nil { // back to training: statistics must survive
		t.Fatal(err)
	}
	if m := state(); m[0] <= afterTrain[0] {
		t.Fatalf("running mean went from %v to %v: reset by the mode switch", afterTrain[0], m[0])
	}
	if err := p.Forward(); err != nil {
		t.Fatal(err)
	}
	if err := p.Forward(); err != nil {
		t.Fatal(err)
	}
	eval2 := append([]float32(nil), p.Logits()...)
	if err := p.Forward(); err != nil {
		t.Fatal(err)
	}
	for i, v := range p.Logits() {
		if v != eval2[i] {
			t.Fatal("evaluation is not deterministic: dropout or batch statistics leak into it")
		}
	}
	if eval1[0] == eval2[0] {
		t.Fatal("evaluation did not change after a training step")
	}
}

// TestSummaryAllocatesNoWeights builds VGG-16 (configuration D) at
// 3x224x224 for its ledger: 138,357,544 parameters (553 MB as float32) must
// not be allocated.
func TestSummaryAllocatesNoWeights(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, x := New(Config{Input: [3]int{3, 224, 224}, Classes: 1000})
	cfg := []int{64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0}
	for i, c := range cfg {
		if c == 0 {
			x = n.MaxPool(ShapeString([]int{i})+"pool", x, 2, 2, 0)
			continue
		}
		x = n.Conv(ShapeString([]int{i})+"conv", x, c, K(3), Pad(1)).ReLU()
	}
	x = n.Flatten("flatten", x)
	x = n.Dense("fc1", x, 4096).ReLU()
	x = n.Dense("fc2", x, 4096).ReLU()
	n.SetOutput(n.Dense("fc3", x, 1000))
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	runtime.ReadMemStats(&after)
	tot := Sum(n.Ledger())
	if tot.Params != 138_357_544 || tot.MACs != 15_470_264_320 {
		t.Fatalf("VGG-16: %d params, %d MACs; torchvision: 138,357,544 and 15,470,264,320", tot.Params, tot.MACs)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 50<<20 {
		t.Fatalf("building VGG-16 for its ledger allocated %d MB", alloc>>20)
	}
}

// TestRBFValues checks -sum_j (x_j - w_ij)^2 against a direct computation.
func TestRBFValues(t *testing.T) {
	protos := [][]float64{{1, -1, 1, -1}, {0, 0.5, 2, 1}}
	x := []float64{0.3, -0.2, 1.5, 0.7, -1, 0, 0.25, 2}
	got, _ := forward(t, [3]int{1, 2, 2}, 2, x, func(n *Net, x *Tensor) *Tensor { return n.RBF("rbf", n.Flatten("f", x), protos) })
	for b := 0; b < 2; b++ {
		for i, p := range protos {
			var d float64
			for j, w := range p {
				d += (x[b*4+j] - w) * (x[b*4+j] - w)
			}
			if math.Abs(got[b*2+i]+d) > 1e-12 {
				t.Fatalf("row %d unit %d: %v, want %v", b, i, got[b*2+i], -d)
			}
		}
	}
	got, _ = forward(t, [3]int{3, 1, 2}, 1, []float64{1, 2, 3, 4, 5, 6}, func(n *Net, x *Tensor) *Tensor { return n.Select("s", x, []int{2, 0}) })
	if want := []float64{5, 6, 1, 2}; !equal(got, want) {
		t.Fatalf("select %v, want %v", got, want)
	}
}

func TestTimeSteps(t *testing.T) {
	n, x := New(Config{Batch: 2, Input: [3]int{3, 8, 8}, Classes: 1})
	out := n.Conv("c", x, 4, K(3), Pad(1)).ReLU()
	times, err := TimeSteps(n, out, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(times) != 3 || times[0] > times[2] || times[0] <= 0 {
		t.Fatalf("times %v: want 3 positive, sorted", times)
	}
}

// TestMaxPoolNaN: a window of NaN pools to NaN and its gradient runs
// (Gorgonia's own max pooling indexes out of range there and panics).
func TestMaxPoolNaN(t *testing.T) {
	nan := math.NaN()
	x := []float64{nan, nan, 1, 2, nan, nan, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	n, xt := New(Config{Batch: 1, Input: [3]int{1, 4, 4}, Classes: 1, DType: tensor.Float64, InputGrad: true})
	out := n.MaxPool("p", xt, 2, 2, 0)
	n.Init(1)
	G.Let(xt.node, tensor.New(tensor.WithShape(1, 1, 4, 4), tensor.WithBacking(x)))
	loss, _ := G.Sum(out.node)
	var v G.Value
	G.Read(out.node, &v)
	if _, err := G.Grad(loss, xt.node); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(n.g, G.BindDualValues(xt.node))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := v.Data().([]float64)
	if !math.IsNaN(got[0]) || got[1] != 4 || got[2] != 10 || got[3] != 12 {
		t.Fatalf("pooled %v, want [NaN 4 10 12]", got)
	}
}

// TestLayerInputs: each ledger row names the layers it reads, found in the
// graph: branches read the block's input, a concat reads every branch, a
// residual add reads both of its operands.
func TestLayerInputs(t *testing.T) {
	n, x := New(Config{Input: [3]int{2, 8, 8}, Classes: 3})
	a := n.Conv("a", x, 4, K(3), Pad(1)).ReLU()
	b1 := n.Conv("blk/b1", a, 2)
	b2 := n.MaxPool("blk/b2", a, 3, 1, 1)
	c := n.Concat("blk/cat", b1, b2)
	r := n.Add("res", c, n.BatchNorm("bn", n.Conv("proj", a, 6)))
	n.Dense("out", n.Flatten("flat", r), 3)
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	want := map[string]string{
		"a": "input", "a/relu": "a", "blk/b1": "a/relu", "blk/b2": "a/relu", "blk/cat": "blk/b1,blk/b2",
		"proj": "a/relu", "bn": "proj", "res": "blk/cat,bn", "flat": "res", "out": "flat",
	}
	for _, l := range n.Ledger() {
		if got := strings.Join(l.Inputs, ","); got != want[l.Name] {
			t.Errorf("%s reads %q, want %q", l.Name, got, want[l.Name])
		}
	}
	if d := n.Ledger()[3].Detail; d != "3x3 pad 1" {
		t.Errorf("pool detail %q", d)
	}
}

// TestInitRefusesHugeNets: parameters past MaxParams are refused by Init
// before any is allocated (building the graph allocates none).
func TestInitRefusesHugeNets(t *testing.T) {
	n, x := New(Config{Input: [3]int{1, 32, 32}, Classes: 2})
	n.Dense("fc", n.Flatten("f", x), 1<<22) // 1024 x 4M weights
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	if err := n.Init(1); err == nil || !strings.Contains(err.Error(), "parameters, more than") {
		t.Fatalf("Init: %v", err)
	}
}
