package graph

import (
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
)

// gradCase builds one layer (or a small composition) on a float64 Net.
type gradCase struct {
	name  string
	kinds []Kind
	input [3]int
	build func(n *Net, x *Tensor) *Tensor
}

var gradCases = []gradCase{
	{"conv3x3 pad1", []Kind{KindConv}, [3]int{2, 5, 5}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 3, K(3), Pad(1))
	}},
	{"conv1x7 pad(0,3) stride2 no bias", []Kind{KindConv}, [3]int{2, 5, 8}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 2, K(1, 7), Pad(0, 3), Stride(2), NoBias())
	}},
	{"conv5x5 stride2 pad2", []Kind{KindConv}, [3]int{1, 7, 7}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 2, K(5), Stride(2), Pad(2))
	}},
	{"grouped conv 3x3, 2 groups", []Kind{KindConv}, [3]int{4, 4, 4}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 6, K(3), Pad(1), Groups(2))
	}},
	{"depthwise conv 3x3, groups = channels", []Kind{KindConv}, [3]int{3, 4, 4}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 3, K(3), Pad(1), Groups(3))
	}},
	{"depthwise conv, two filters per channel, no bias", []Kind{KindConv}, [3]int{2, 4, 4}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 4, K(3), Pad(1), Groups(2), NoBias())
	}},
	{"depthwise conv 5x5 stride2 pad2 on an odd-sized image", []Kind{KindConv}, [3]int{3, 7, 6}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 3, K(5), Stride(2), Pad(2), Groups(3))
	}},
	{"depthwise conv 3x3 stride2 no padding, two filters per channel", []Kind{KindConv}, [3]int{2, 6, 7}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 4, K(3), Stride(2), Groups(2), NoBias())
	}},
	{"depthwise conv 1x3 stride (1,2) pad (0,1)", []Kind{KindConv}, [3]int{2, 3, 5}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 2, K(1, 3), Stride(1, 2), Pad(0, 1), Groups(2))
	}},
	{"grouped conv, one filter per group", []Kind{KindConv}, [3]int{4, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 2, K(3), Pad(1), Groups(2))
	}},
	{"dilated conv 3x3 dilation 2 pad 2", []Kind{KindConv}, [3]int{2, 7, 7}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 3, K(3), Pad(2), Dilation(2))
	}},
	{"dilated conv 3x2 dilation (2,3) stride 2, no padding", []Kind{KindConv}, [3]int{2, 8, 9}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 2, K(3, 2), Stride(2), Dilation(2, 3))
	}},
	{"dilated grouped conv, 2 groups, dilation 2 stride (1,2)", []Kind{KindConv}, [3]int{4, 6, 6}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 4, K(3), Stride(1, 2), Pad(1), Dilation(2), Groups(2))
	}},
	{"dilated depthwise conv 3x3 dilation 2 pad 2", []Kind{KindConv}, [3]int{3, 6, 7}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 3, K(3), Pad(2), Dilation(2), Groups(3))
	}},
	{"dilated depthwise conv dilation (3,1) stride 2, two filters per channel", []Kind{KindConv}, [3]int{2, 8, 6}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 4, K(3), Stride(2), Pad(1), Dilation(3, 1), Groups(2), NoBias())
	}},
	{"dilated depthwise conv whose outer taps read only padding", []Kind{KindConv}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 2, K(3), Pad(4), Dilation(4), Groups(2))
	}},
	{"flatten dense", []Kind{KindFlatten, KindDense}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Dense("d", n.Flatten("f", x), 4)
	}},
	{"relu", []Kind{KindReLU}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", x, 2).ReLU()
	}},
	{"sigmoid", []Kind{KindSigmoid}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor { return n.Conv("c", x, 2).Sigmoid() }},
	{"tanh", []Kind{KindTanh}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor { return n.Conv("c", x, 2).Tanh() }},
	{"maxpool 2/2", []Kind{KindMaxPool}, [3]int{2, 4, 4}, func(n *Net, x *Tensor) *Tensor { return n.MaxPool("p", x, 2, 2, 0) }},
	{"maxpool 3/1 pad1", []Kind{KindMaxPool}, [3]int{2, 4, 4}, func(n *Net, x *Tensor) *Tensor { return n.MaxPool("p", x, 3, 1, 1) }},
	{"avgpool 2/2", []Kind{KindAvgPool}, [3]int{2, 4, 4}, func(n *Net, x *Tensor) *Tensor { return n.AvgPool("p", x, 2, 2, 0) }},
	{"avgpool 3/1 pad1", []Kind{KindAvgPool}, [3]int{2, 5, 5}, func(n *Net, x *Tensor) *Tensor { return n.AvgPool("p", x, 3, 1, 1) }},
	{"global avgpool", []Kind{KindGAP}, [3]int{3, 3, 4}, func(n *Net, x *Tensor) *Tensor { return n.GlobalAvgPool("g", x) }},
	{"batchnorm 4-D", []Kind{KindBatchNorm}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.BatchNorm("bn", n.Conv("c", x, 2, K(3), Pad(1)))
	}},
	{"batchnorm 2-D", []Kind{KindBatchNorm}, [3]int{2, 2, 2}, func(n *Net, x *Tensor) *Tensor {
		return n.BatchNorm("bn", n.Dense("d", n.Flatten("f", x), 3))
	}},
	{"batchnorm with a fused ReLU, 4-D", []Kind{KindBatchNorm, KindReLU}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.BatchNormReLU("bn", n.Conv("c", x, 2, K(3), Pad(1)))
	}},
	{"batchnorm with a fused ReLU, 2-D", []Kind{KindBatchNorm, KindReLU}, [3]int{2, 2, 2}, func(n *Net, x *Tensor) *Tensor {
		return n.BatchNormReLU("bn", n.Dense("d", n.Flatten("f", x), 3))
	}},
	{"batchnorm with a fused ReLU6", []Kind{KindBatchNorm, KindReLU6}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.BatchNormReLU6("bn", n.Conv("c", x, 2, K(3), Pad(1)))
	}},
	{"dropout p=0.3", []Kind{KindDropout}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Dropout("drop", n.Conv("c", x, 2), 0.3)
	}},
	{"inception-style concat", []Kind{KindConcat}, [3]int{3, 4, 4}, func(n *Net, x *Tensor) *Tensor {
		a := n.Conv("b1", x, 2)
		b := n.Conv("b2", n.Conv("b2red", x, 2), 2, K(3), Pad(1))
		c := n.Conv("b4", n.MaxPool("b4pool", x, 3, 1, 1), 1)
		return n.Concat("cat", a, b, c)
	}},
	{"residual add", []Kind{KindAdd}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Add("res", x, n.Conv("c", x, 2, K(3), Pad(1)))
	}},
	{"select channels (C3's table)", []Kind{KindSelect}, [3]int{4, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Conv("c", n.Select("sel", x, []int{3, 0, 2}), 2, K(2))
	}},
	{"per-channel scale", []Kind{KindScale}, [3]int{3, 2, 2}, func(n *Net, x *Tensor) *Tensor { return n.Scale("s", x) }},
	{"scaled tanh", []Kind{KindScaledTanh}, [3]int{2, 2, 2}, func(n *Net, x *Tensor) *Tensor { return n.Conv("c", x, 2).ScaledTanh() }},
	{"rbf after dense and scaled tanh (LeNet-5's F6 and output)", []Kind{KindRBF}, [3]int{1, 2, 3}, func(n *Net, x *Tensor) *Tensor {
		h := n.Dense("f6", n.Flatten("f", x), 4).ScaledTanh()
		return n.RBF("rbf", h, [][]float64{{1, -1, 1, -1}, {1, 1, -1, -1}, {0.5, 0, -1, 1}})
	}},
	{"relu6", []Kind{KindReLU6}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.ScaledAdd("spread", x, n.Conv("c", x, 2, K(3), Pad(1)), 4).ReLU6()
	}},
	{"leaky relu", []Kind{KindLeakyReLU}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor { return n.Conv("c", x, 2).LeakyReLU(0.1) }},
	{"silu", []Kind{KindSiLU}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor { return n.Conv("c", x, 2).SiLU() }},
	{"hard sigmoid", []Kind{KindHardSigmoid}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.ScaledAdd("spread", x, n.Conv("c", x, 2, K(3), Pad(1)), 3).HardSigmoid()
	}},
	{"hard swish", []Kind{KindHardSwish}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.ScaledAdd("spread", x, n.Conv("c", x, 2, K(3), Pad(1)), 3).HardSwish()
	}},
	{"mul, same shape", []Kind{KindMul}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Mul("m", x, n.Conv("c", x, 2, K(3), Pad(1)))
	}},
	{"sub", []Kind{KindSub}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.Sub("s", x, n.Conv("c", x, 2, K(3), Pad(1)))
	}},
	{"squeeze-and-excitation gate: mul by (B, C)", []Kind{KindMul, KindGAP}, [3]int{3, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		g := n.Dense("fc", n.Flatten("f", n.GlobalAvgPool("squeeze", x)), 3).HardSigmoid()
		return n.Mul("excite", x, g)
	}},
	{"custom layer: x*w + b from a Gorgonia expression", []Kind{KindCustom}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		w := n.Param("affine", "weight", []int{1, 2, 1, 1}, HeNormal)
		b := n.Param("affine", "bias", []int{1, 2, 1, 1}, Zeros)
		return n.Custom("affine", Cost{Other: 2 * 18}, func(in ...*G.Node) (*G.Node, error) {
			y, err := G.BroadcastHadamardProd(in[0], w, nil, []byte{0, 2, 3})
			if err != nil {
				return nil, err
			}
			return G.BroadcastAdd(y, b, nil, []byte{0, 2, 3})
		}, x)
	}},
	{"scaled residual add", []Kind{KindAdd}, [3]int{2, 3, 3}, func(n *Net, x *Tensor) *Tensor {
		return n.ScaledAdd("res", x, n.Conv("c", x, 2, K(3), Pad(1)), 0.17).ReLU()
	}},
}

// TestGradients checks every layer's gradient, to its parameters and to its
// input, against central finite differences in float64.
func TestGradients(t *testing.T) {
	for _, tc := range gradCases {
		t.Run(tc.name, func(t *testing.T) { checkGradients(t, tc) })
	}
}

// TestEveryKindHasGradCheck fails when a layer kind is added without a
// gradient check.
func TestEveryKindHasGradCheck(t *testing.T) {
	seen := map[Kind]bool{}
	for _, tc := range gradCases {
		for _, k := range tc.kinds {
			seen[k] = true
		}
	}
	for k := range Kinds {
		if !seen[k] {
			t.Errorf("layer kind %q has no gradient check", k)
		}
	}
}

func checkGradients(t *testing.T, tc gradCase) {
	err := CheckGradients(tc.input, func(n *Net, x *Tensor) *Tensor {
		out := tc.build(n, x)
		for _, k := range tc.kinds {
			found := false
			for _, l := range n.Ledger() {
				found = found || l.Kind == k
			}
			if !found {
				t.Errorf("no ledger row of kind %s", k)
			}
		}
		return out
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDepthwiseLedger: a depthwise convolution (one input channel per group)
// and one with two filters per channel record the channels asked for, and
// the MACs Kh*Kw*(Cin/groups)*Cout*Hout*Wout.
func TestDepthwiseLedger(t *testing.T) {
	for _, c := range []struct{ out, groups, macs int }{{8, 8, 9 * 8 * 36}, {16, 8, 9 * 16 * 36}, {4, 4, 9 * 2 * 4 * 36}} {
		n, x := New(Config{Batch: 2, Input: [3]int{8, 6, 6}, Classes: 1})
		y := n.Conv("dw", x, c.out, K(3), Pad(1), Groups(c.groups), NoBias())
		if n.Err() != nil {
			t.Fatalf("%+v: %v", c, n.Err())
		}
		if s := y.Shape(); s[1] != c.out || s[2] != 6 || s[3] != 6 {
			t.Fatalf("%+v: output %v", c, s)
		}
		l := n.Ledger()[0]
		if l.MACs != int64(c.macs) || l.Params != int64(c.macs/36) {
			t.Fatalf("%+v: ledger MACs %d params %d, want %d and %d", c, l.MACs, l.Params, c.macs, c.macs/36)
		}
	}
}

// TestCustomLedger: a custom layer's row has its Param-made parameters and
// the cost its author gave; a negative cost or no input is a build error.
func TestCustomLedger(t *testing.T) {
	n, x := New(Config{Batch: 2, Input: [3]int{2, 3, 3}, Classes: 1})
	w := n.Param("gate", "weight", []int{1, 2, 1, 1}, Ones)
	y := n.Custom("gate", Cost{Other: 18}, func(in ...*G.Node) (*G.Node, error) {
		return G.BroadcastHadamardProd(in[0], w, nil, []byte{0, 2, 3})
	}, x)
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	l := n.Ledger()[len(n.Ledger())-1]
	if l.Name != "gate" || l.Kind != KindCustom || l.Params != 2 || l.Other != 18 || l.MACs != 0 {
		t.Fatalf("ledger row %+v", l)
	}
	if s := y.Shape(); s[1] != 2 || s[2] != 3 {
		t.Fatalf("output %v", s)
	}
	m, x2 := New(Config{Batch: 2, Input: [3]int{2, 3, 3}, Classes: 1})
	m.Custom("bad", Cost{MACs: -1}, func(in ...*G.Node) (*G.Node, error) { return in[0], nil }, x2)
	if m.Err() == nil {
		t.Fatal("a negative cost was accepted")
	}
}

// TestParamNames: Param's names follow the layers' rules, may not clash
// with a layer's parameter, and a custom layer counts only the parameters
// made for it (not those of layers nested under its name).
func TestParamNames(t *testing.T) {
	n, x := New(Config{Batch: 2, Input: [3]int{2, 3, 3}, Classes: 1})
	n.Param("fc", "weight", []int{18, 2}, HeNormal)
	n.Dense("fc", n.Flatten("f", x), 2)
	if n.Err() == nil || !strings.Contains(n.Err().Error(), "fc/weight created twice") {
		t.Fatalf("a Param then a layer of the same name: %v", n.Err())
	}
	for _, c := range [][2]string{{"bad.name", "w"}, {"blk", "w x"}, {"blk", "a/b"}} {
		m, _ := New(Config{Batch: 2, Input: [3]int{2, 3, 3}, Classes: 1})
		m.Param(c[0], c[1], []int{2}, Zeros)
		if m.Err() == nil {
			t.Errorf("Param(%q, %q) was accepted", c[0], c[1])
		}
	}
	m, x2 := New(Config{Batch: 2, Input: [3]int{2, 3, 3}, Classes: 1})
	h := m.Conv("blk/conv", x2, 2) // 6 parameters, not the custom layer's
	w := m.Param("blk", "scale", []int{1, 2, 1, 1}, Ones)
	m.Custom("blk", Cost{Other: 18}, func(in ...*G.Node) (*G.Node, error) {
		return G.BroadcastHadamardProd(in[0], w, nil, []byte{0, 2, 3})
	}, h)
	if m.Err() != nil {
		t.Fatal(m.Err())
	}
	if l := m.Ledger()[len(m.Ledger())-1]; l.Name != "blk" || l.Params != 2 {
		t.Fatalf("custom layer row %+v, want 2 parameters", l)
	}
}

// TestDilatedLedger: a dilated conv's output size uses the span
// d*(k-1)+1 (PyTorch's formula), its MACs are those of the dense kernel
// (the taps, not the span), its row says the dilation; a dilation below 1,
// or one whose span exceeds the padded input, is a build error, and so is
// a conv option a dense layer has no use for.
func TestDilatedLedger(t *testing.T) {
	n, x := New(Config{Batch: 1, Input: [3]int{4, 20, 17}, Classes: 1})
	// height: (20 + 2*1 - (2*2+1))/1 + 1 = 18; width: (17 + 2*1 - (3*2+1))/2 + 1 = 7
	y := n.Conv("d", x, 6, K(3), Pad(1), Stride(1, 2), Dilation(2, 3))
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	if s := y.Shape(); s[2] != 18 || s[3] != 7 {
		t.Fatalf("output %v, want (1, 6, 18, 7)", s)
	}
	l := n.Ledger()[0]
	if want := int64(3 * 3 * 4 * 6 * 18 * 7); l.MACs != want {
		t.Fatalf("MACs %d, want %d", l.MACs, want)
	}
	if l.Detail != "3x3/1x2 pad 1 dilation 2x3" || len(l.Dilation) != 2 || l.Dilation[0] != 2 || l.Dilation[1] != 3 {
		t.Fatalf("detail %q, dilation %v", l.Detail, l.Dilation)
	}
	for _, c := range []struct {
		build func(n *Net, x *Tensor) *Tensor
		want  string
	}{
		{func(n *Net, x *Tensor) *Tensor { return n.Conv("d", x, 2, K(3), Dilation(0)) }, "dilation 0x0"},
		{func(n *Net, x *Tensor) *Tensor { return n.Conv("d", x, 2, K(3), Dilation(1, -1)) }, "dilation 1x-1"},
		{func(n *Net, x *Tensor) *Tensor { return n.Conv("d", x, 2, K(3), Dilation(9)) }, "a 3x3 kernel with dilation 9x9 spans 19x19"},
		{func(n *Net, x *Tensor) *Tensor { return n.Dense("fc", n.Flatten("f", x), 2, Dilation(2)) }, "NoBias and WithInit only"},
		{func(n *Net, x *Tensor) *Tensor { return n.Dense("fc", n.Flatten("f", x), 2, K(3)) }, "NoBias and WithInit only"},
	} {
		n, x := New(Config{Batch: 1, Input: [3]int{4, 16, 16}, Classes: 1})
		c.build(n, x)
		if n.Err() == nil || !strings.Contains(n.Err().Error(), c.want) {
			t.Errorf("error %v, want one containing %q", n.Err(), c.want)
		}
	}
}
