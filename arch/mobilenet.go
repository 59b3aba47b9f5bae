package arch

import (
	"fmt"

	"github.com/convnets/convnets/graph"
)

// makeDivisible rounds v to the nearest multiple of 8, never more than 10%
// below v: MobileNet's channel rounding (torchvision's _make_divisible).
func makeDivisible(v float64) int {
	const d = 8
	out := max(d, int(v+d/2)/d*d)
	if float64(out) < 0.9*v {
		out += d
	}
	return out
}

// convBNAct is a convolution without bias, batch norm and the activation
// act ("" for none), named as torchvision's Conv2dNormActivation: name/0
// the convolution, name/1 the norm.
func convBNAct(n *graph.Net, name string, x *graph.Tensor, out int, act string, opts ...graph.ConvOpt) *graph.Tensor {
	conv := n.Conv(name+"/0", x, out, append(opts, graph.NoBias())...)
	switch act { // ReLU and ReLU6 fused into batch norm: the same layers and bits
	case "relu":
		return n.BatchNormReLU(name+"/1", conv)
	case "relu6":
		return n.BatchNormReLU6(name+"/1", conv)
	case "hardswish":
		return n.BatchNorm(name+"/1", conv).HardSwish()
	}
	return n.BatchNorm(name+"/1", conv)
}

// InvertedResidual is MobileNetV2's block (Sandler et al. 2018): a 1x1
// expansion by expand (left out when 1), a 3x3 depthwise convolution with
// the stride, both with batch norm and ReLU6, a 1x1 linear projection with
// batch norm, and the input added back when the shapes allow.
func InvertedResidual(n *graph.Net, name string, x *graph.Tensor, out, stride, expand int) *graph.Tensor {
	in := x.Shape()[1]
	hidden, h, i := in*expand, x, 0
	if expand != 1 {
		h = convBNAct(n, fmt.Sprintf("%s/conv/%d", name, i), h, hidden, "relu6")
		i++
	}
	h = convBNAct(n, fmt.Sprintf("%s/conv/%d", name, i), h, hidden, "relu6", graph.K(3), graph.Stride(stride), graph.Pad(1), graph.Groups(hidden))
	h = convBN(n, fmt.Sprintf("%s/conv/%d", name, i+1), fmt.Sprintf("%s/conv/%d", name, i+2), h, out)
	if stride == 1 && in == out {
		return n.Add(name+"/add", x, h)
	}
	return h
}

// mobileNetV2Blocks are the expansion t, output channels c, repeats n and
// first stride s of MobileNetV2's stages (table 2).
var mobileNetV2Blocks = [][4]int{{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}}

// MobileNetV2 builds torchvision's mobilenet_v2; strides lists the stride
// of the stem and of each stage (nil: the published 2, 1, 2, 2, 2, 1, 2, 1).
func MobileNetV2(n *graph.Net, x *graph.Tensor, c Config, strides []int) *graph.Tensor {
	if strides == nil {
		strides = []int{2, 1, 2, 2, 2, 1, 2, 1}
	}
	ch := func(v int) int { return makeDivisible(float64(v) * widthOf(c)) }
	n.SetStage("stem")
	x = convBNAct(n, "features/0", x, ch(32), "relu6", graph.K(3), graph.Stride(strides[0]), graph.Pad(1))
	f := 1
	for s, b := range mobileNetV2Blocks {
		n.SetStage(fmt.Sprintf("stage%d", s+1))
		for i := 0; i < b[2]; i++ {
			stride := 1
			if i == 0 {
				stride = strides[s+1]
			}
			x = InvertedResidual(n, fmt.Sprintf("features/%d", f), x, ch(b[1]), stride, b[0])
			f++
		}
	}
	n.SetStage("head")
	last := makeDivisible(1280 * max(1, widthOf(c)))
	x = convBNAct(n, fmt.Sprintf("features/%d", f), x, last, "relu6")
	x = n.Flatten("flatten", n.GlobalAvgPool("avgpool", x))
	x = n.Dropout("classifier/0", x, 0.2)
	return n.Dense("classifier/1", x, c.Classes)
}

// widthOf is the width multiplier of c (0 means 1).
func widthOf(c Config) float64 {
	if c.Width == 0 {
		return 1
	}
	return c.Width
}

// SqueezeExcitation gates each channel of x by a function of its mean (Hu
// et al. 2018, as MobileNetV3 uses it): global average pooling, a 1x1
// reduction to squeeze channels with a ReLU, a 1x1 expansion with a hard
// sigmoid, multiplied into x.
func SqueezeExcitation(n *graph.Net, name string, x *graph.Tensor, squeeze int) *graph.Tensor {
	g := n.GlobalAvgPool(name+"/avgpool", x)
	g = n.Conv(name+"/fc1", g, squeeze).ReLU()
	g = n.Conv(name+"/fc2", g, x.Shape()[1]).HardSigmoid()
	return n.Mul(name+"/scale", x, g)
}

// bneck is one row of MobileNetV3's table: kernel, expanded and output
// channels, squeeze-and-excitation, hard-swish (else ReLU), stride.
type bneck struct {
	k, exp, out int
	se, hs      bool
	stride      int
}

// mobileNetV3Small is table 2 of Howard et al. 2019.
var mobileNetV3Small = []bneck{
	{3, 16, 16, true, false, 2}, {3, 72, 24, false, false, 2}, {3, 88, 24, false, false, 1},
	{5, 96, 40, true, true, 2}, {5, 240, 40, true, true, 1}, {5, 240, 40, true, true, 1},
	{5, 120, 48, true, true, 1}, {5, 144, 48, true, true, 1}, {5, 288, 96, true, true, 2},
	{5, 576, 96, true, true, 1}, {5, 576, 96, true, true, 1},
}

// bneckBlock is MobileNetV3's inverted residual: a 1x1 expansion (left out
// when it would not widen), a depthwise convolution, squeeze-and-excitation,
// a 1x1 linear projection, each convolution with batch norm, and the input
// added back when the shapes allow.
func bneckBlock(n *graph.Net, name string, x *graph.Tensor, b bneck) *graph.Tensor {
	act := "relu"
	if b.hs {
		act = "hardswish"
	}
	in := x.Shape()[1]
	h, i := x, 0
	if b.exp != in {
		h = convBNAct(n, fmt.Sprintf("%s/block/%d", name, i), h, b.exp, act)
		i++
	}
	h = convBNAct(n, fmt.Sprintf("%s/block/%d", name, i), h, b.exp, act, graph.K(b.k), graph.Stride(b.stride), graph.Pad((b.k-1)/2), graph.Groups(b.exp))
	i++
	if b.se {
		h = SqueezeExcitation(n, fmt.Sprintf("%s/block/%d", name, i), h, makeDivisible(float64(b.exp/4)))
		i++
	}
	h = convBNAct(n, fmt.Sprintf("%s/block/%d", name, i), h, b.out, "")
	if b.stride == 1 && in == b.out {
		return n.Add(name+"/add", x, h)
	}
	return h
}

// MobileNetV3Small builds torchvision's mobilenet_v3_small; stemStride is
// the stem's stride (2 published).
func MobileNetV3Small(n *graph.Net, x *graph.Tensor, c Config, stemStride int) *graph.Tensor {
	n.SetStage("stem")
	x = convBNAct(n, "features/0", x, 16, "hardswish", graph.K(3), graph.Stride(stemStride), graph.Pad(1))
	n.SetStage("blocks")
	for i, b := range mobileNetV3Small {
		x = bneckBlock(n, fmt.Sprintf("features/%d", i+1), x, b)
	}
	n.SetStage("head")
	x = convBNAct(n, fmt.Sprintf("features/%d", len(mobileNetV3Small)+1), x, 576, "hardswish")
	x = n.Flatten("flatten", n.GlobalAvgPool("avgpool", x))
	x = n.Dense("classifier/0", x, 1024).HardSwish()
	x = n.Dropout("classifier/2", x, 0.2)
	return n.Dense("classifier/3", x, c.Classes)
}

func mobilenetSpecs() []Spec {
	imagenet := Config{Input: [3]int{3, 224, 224}, Classes: 1000}
	return []Spec{
		{Name: "mobilenet-v2", Description: "MobileNetV2 (Sandler et al. 2018, torchvision)", Default: imagenet, Init: graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor { return MobileNetV2(n, x, c, nil) }},
		{Name: "mobilenet-v3-small", Description: "MobileNetV3-Small (Howard et al. 2019, torchvision)", Default: imagenet, Init: graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor { return MobileNetV3Small(n, x, c, 2) }},
		{Name: "mobilenet-v2-mnist", Description: "MobileNetV2 at 1/2 width for 28x28 images: stride 1 in the stem",
			Default: Config{Input: [3]int{1, 28, 28}, Classes: 10, Width: 0.5}, Init: graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
				return MobileNetV2(n, x, c, []int{1, 1, 2, 2, 2, 1, 2, 1})
			}},
	}
}
