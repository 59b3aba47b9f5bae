package arch

import (
	"fmt"

	"github.com/convnets/convnets/graph"
)

// Inception-v4 and Inception-ResNet-v2 are Szegedy, Ioffe, Vanhoucke &
// Alemi 2016, as timm defines them (ported from TensorFlow-Slim): ConvBN
// units (no bias), 3x3 convolutions without padding where the paper marks
// "V", and average poolings in the branches. timm's average poolings leave
// padding out of the count (count_include_pad=False) where convnets' count
// it; this changes no parameter or MAC. Both run at 3x299x299.

// InceptionV4 is the paper's figure 9: stem, 4 x Inception-A, Reduction-A,
// 7 x Inception-B, Reduction-B, 3 x Inception-C, global average pooling,
// dropout and the classifier. c.Width scales every width.
func InceptionV4(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	w := c.W
	n.SetStage("stem")
	x = inceptionV4Stem(n, x, w)
	n.SetStage("35x35")
	for i := 0; i < 4; i++ {
		x = v4BlockA(n, fmt.Sprintf("inception_a%d", i+1), x, w)
	}
	n.SetStage("17x17")
	x = v4ReductionA(n, "reduction_a", x, w, 192, 224, 256, 384)
	for i := 0; i < 7; i++ {
		x = v4BlockB(n, fmt.Sprintf("inception_b%d", i+1), x, w)
	}
	n.SetStage("8x8")
	x = v4ReductionB(n, "reduction_b", x, w)
	for i := 0; i < 3; i++ {
		x = v4BlockC(n, fmt.Sprintf("inception_c%d", i+1), x, w)
	}
	n.SetStage("head")
	x = n.Flatten("flatten", n.GlobalAvgPool("avgpool", x))
	x = n.Dropout("dropout", x, 0.2)
	return n.Dense("last_linear", x, c.Classes)
}

// inceptionV4Stem is the paper's figure 3, 299x299 to 35x35x384.
func inceptionV4Stem(n *graph.Net, x *graph.Tensor, w func(int) int) *graph.Tensor {
	x = ConvBN(n, "stem/conv1", x, w(32), graph.K(3), graph.Stride(2))
	x = ConvBN(n, "stem/conv2", x, w(32), graph.K(3))
	x = ConvBN(n, "stem/conv3", x, w(64), graph.K(3), graph.Pad(1))
	x = n.Concat("stem/mixed_3a", n.MaxPool("stem/mixed_3a/pool", x, 3, 2, 0),
		ConvBN(n, "stem/mixed_3a/conv", x, w(96), graph.K(3), graph.Stride(2)))
	b0 := ConvBN(n, "stem/mixed_4a/branch0_1", x, w(64))
	b0 = ConvBN(n, "stem/mixed_4a/branch0_2", b0, w(96), graph.K(3))
	b1 := ConvBN(n, "stem/mixed_4a/branch1_1", x, w(64))
	b1 = ConvBN(n, "stem/mixed_4a/branch1_2", b1, w(64), graph.K(1, 7), graph.Pad(0, 3))
	b1 = ConvBN(n, "stem/mixed_4a/branch1_3", b1, w(64), graph.K(7, 1), graph.Pad(3, 0))
	b1 = ConvBN(n, "stem/mixed_4a/branch1_4", b1, w(96), graph.K(3))
	x = n.Concat("stem/mixed_4a", b0, b1)
	return n.Concat("stem/mixed_5a", ConvBN(n, "stem/mixed_5a/conv", x, w(192), graph.K(3), graph.Stride(2)),
		n.MaxPool("stem/mixed_5a/pool", x, 3, 2, 0))
}

func v4BlockA(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b0 := ConvBN(n, name+"/branch0", x, w(96))
	b1 := ConvBN(n, name+"/branch1_1", x, w(64))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(96), graph.K(3), graph.Pad(1))
	b2 := ConvBN(n, name+"/branch2_1", x, w(64))
	b2 = ConvBN(n, name+"/branch2_2", b2, w(96), graph.K(3), graph.Pad(1))
	b2 = ConvBN(n, name+"/branch2_3", b2, w(96), graph.K(3), graph.Pad(1))
	b3 := ConvBN(n, name+"/branch3", n.AvgPool(name+"/branch3/pool", x, 3, 1, 1), w(96))
	return n.Concat(name+"/concat", b0, b1, b2, b3)
}

// v4ReductionA is the paper's figure 7 with its k, l, m, n filter counts
// (Inception-v4: 192, 224, 256, 384; Inception-ResNet-v2: 256, 256, 384,
// 384).
func v4ReductionA(n *graph.Net, name string, x *graph.Tensor, w func(int) int, k, l, m, nn int) *graph.Tensor {
	b0 := ConvBN(n, name+"/branch0", x, w(nn), graph.K(3), graph.Stride(2))
	b1 := ConvBN(n, name+"/branch1_1", x, w(k))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(l), graph.K(3), graph.Pad(1))
	b1 = ConvBN(n, name+"/branch1_3", b1, w(m), graph.K(3), graph.Stride(2))
	return n.Concat(name+"/concat", b0, b1, n.MaxPool(name+"/branch2", x, 3, 2, 0))
}

func v4BlockB(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	row, col := []graph.ConvOpt{graph.K(1, 7), graph.Pad(0, 3)}, []graph.ConvOpt{graph.K(7, 1), graph.Pad(3, 0)}
	b0 := ConvBN(n, name+"/branch0", x, w(384))
	b1 := ConvBN(n, name+"/branch1_1", x, w(192))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(224), row...)
	b1 = ConvBN(n, name+"/branch1_3", b1, w(256), col...)
	b2 := ConvBN(n, name+"/branch2_1", x, w(192))
	b2 = ConvBN(n, name+"/branch2_2", b2, w(192), col...)
	b2 = ConvBN(n, name+"/branch2_3", b2, w(224), row...)
	b2 = ConvBN(n, name+"/branch2_4", b2, w(224), col...)
	b2 = ConvBN(n, name+"/branch2_5", b2, w(256), row...)
	b3 := ConvBN(n, name+"/branch3", n.AvgPool(name+"/branch3/pool", x, 3, 1, 1), w(128))
	return n.Concat(name+"/concat", b0, b1, b2, b3)
}

func v4ReductionB(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b0 := ConvBN(n, name+"/branch0_1", x, w(192))
	b0 = ConvBN(n, name+"/branch0_2", b0, w(192), graph.K(3), graph.Stride(2))
	b1 := ConvBN(n, name+"/branch1_1", x, w(256))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(256), graph.K(1, 7), graph.Pad(0, 3))
	b1 = ConvBN(n, name+"/branch1_3", b1, w(320), graph.K(7, 1), graph.Pad(3, 0))
	b1 = ConvBN(n, name+"/branch1_4", b1, w(320), graph.K(3), graph.Stride(2))
	return n.Concat(name+"/concat", b0, b1, n.MaxPool(name+"/branch2", x, 3, 2, 0))
}

func v4BlockC(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	row, col := []graph.ConvOpt{graph.K(1, 3), graph.Pad(0, 1)}, []graph.ConvOpt{graph.K(3, 1), graph.Pad(1, 0)}
	b0 := ConvBN(n, name+"/branch0", x, w(256))
	b1 := ConvBN(n, name+"/branch1_0", x, w(384))
	b1a := ConvBN(n, name+"/branch1_1a", b1, w(256), row...)
	b1b := ConvBN(n, name+"/branch1_1b", b1, w(256), col...)
	b2 := ConvBN(n, name+"/branch2_0", x, w(384))
	b2 = ConvBN(n, name+"/branch2_1", b2, w(448), col...)
	b2 = ConvBN(n, name+"/branch2_2", b2, w(512), row...)
	b2a := ConvBN(n, name+"/branch2_3a", b2, w(256), row...)
	b2b := ConvBN(n, name+"/branch2_3b", b2, w(256), col...)
	b3 := ConvBN(n, name+"/branch3", n.AvgPool(name+"/branch3/pool", x, 3, 1, 1), w(256))
	return n.Concat(name+"/concat", b0, b1a, b1b, b2a, b2b, b3)
}

// InceptionResNetV2 is the paper's figure 15 as timm builds it: the
// Inception-v3-like stem with Mixed_5b, 10 x block35 (residual scale 0.17),
// Mixed_6a, 20 x block17 (0.10), Mixed_7a, 10 x block8 (0.20, the last
// without ReLU), a 1x1 ConvBN to 1536, global average pooling and the
// classifier. Each residual branch ends in a 1x1 convolution with bias that
// restores the block's width, scaled and added to the input.
func InceptionResNetV2(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	w := c.W
	n.SetStage("stem")
	x = ConvBN(n, "conv2d_1a", x, w(32), graph.K(3), graph.Stride(2))
	x = ConvBN(n, "conv2d_2a", x, w(32), graph.K(3))
	x = ConvBN(n, "conv2d_2b", x, w(64), graph.K(3), graph.Pad(1))
	x = n.MaxPool("maxpool_3a", x, 3, 2, 0)
	x = ConvBN(n, "conv2d_3b", x, w(80))
	x = ConvBN(n, "conv2d_4a", x, w(192), graph.K(3))
	x = n.MaxPool("maxpool_5a", x, 3, 2, 0)
	n.SetStage("35x35")
	x = mixed5b(n, "mixed_5b", x, w)
	for i := 0; i < 10; i++ {
		x = block35(n, fmt.Sprintf("repeat/block35_%d", i+1), x, w)
	}
	n.SetStage("17x17")
	x = v4ReductionA(n, "mixed_6a", x, w, 256, 256, 384, 384)
	for i := 0; i < 20; i++ {
		x = block17(n, fmt.Sprintf("repeat_1/block17_%d", i+1), x, w)
	}
	n.SetStage("8x8")
	x = mixed7a(n, "mixed_7a", x, w)
	for i := 0; i < 10; i++ {
		x = block8(n, fmt.Sprintf("repeat_2/block8_%d", i+1), x, w, i < 9)
	}
	x = ConvBN(n, "conv2d_7b", x, w(1536))
	n.SetStage("head")
	x = n.Flatten("flatten", n.GlobalAvgPool("avgpool", x))
	return n.Dense("classif", x, c.Classes)
}

// mixed5b is Inception-ResNet-v2's first Inception block, 35x35x320: 1x1
// 96; 1x1 48, 5x5 64; 1x1 64, 3x3 96, 3x3 96; average pooling, 1x1 64.
func mixed5b(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b0 := ConvBN(n, name+"/branch0", x, w(96))
	b1 := ConvBN(n, name+"/branch1_1", x, w(48))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(64), graph.K(5), graph.Pad(2))
	b2 := ConvBN(n, name+"/branch2_1", x, w(64))
	b2 = ConvBN(n, name+"/branch2_2", b2, w(96), graph.K(3), graph.Pad(1))
	b2 = ConvBN(n, name+"/branch2_3", b2, w(96), graph.K(3), graph.Pad(1))
	b3 := ConvBN(n, name+"/branch3", n.AvgPool(name+"/branch3/pool", x, 3, 1, 1), w(64))
	return n.Concat(name+"/concat", b0, b1, b2, b3)
}

// residual ends an Inception-ResNet block: a 1x1 convolution (with bias)
// back to x's width, scaled and added to x, then a ReLU unless last.
func residual(n *graph.Net, name string, x, branches *graph.Tensor, scale float64, relu bool) *graph.Tensor {
	up := n.Conv(name+"/conv2d", branches, x.Shape()[1])
	out := n.ScaledAdd(name+"/add", x, up, scale)
	if relu {
		out = out.ReLU()
	}
	return out
}

func block35(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b0 := ConvBN(n, name+"/branch0", x, w(32))
	b1 := ConvBN(n, name+"/branch1_1", x, w(32))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(32), graph.K(3), graph.Pad(1))
	b2 := ConvBN(n, name+"/branch2_1", x, w(32))
	b2 = ConvBN(n, name+"/branch2_2", b2, w(48), graph.K(3), graph.Pad(1))
	b2 = ConvBN(n, name+"/branch2_3", b2, w(64), graph.K(3), graph.Pad(1))
	return residual(n, name, x, n.Concat(name+"/concat", b0, b1, b2), 0.17, true)
}

func block17(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b0 := ConvBN(n, name+"/branch0", x, w(192))
	b1 := ConvBN(n, name+"/branch1_1", x, w(128))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(160), graph.K(1, 7), graph.Pad(0, 3))
	b1 = ConvBN(n, name+"/branch1_3", b1, w(192), graph.K(7, 1), graph.Pad(3, 0))
	return residual(n, name, x, n.Concat(name+"/concat", b0, b1), 0.10, true)
}

func block8(n *graph.Net, name string, x *graph.Tensor, w func(int) int, relu bool) *graph.Tensor {
	scale := 0.20
	if !relu {
		scale = 1 // timm's final Block8: scale 1.0, no ReLU
	}
	b0 := ConvBN(n, name+"/branch0", x, w(192))
	b1 := ConvBN(n, name+"/branch1_1", x, w(192))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(224), graph.K(1, 3), graph.Pad(0, 1))
	b1 = ConvBN(n, name+"/branch1_3", b1, w(256), graph.K(3, 1), graph.Pad(1, 0))
	return residual(n, name, x, n.Concat(name+"/concat", b0, b1), scale, relu)
}

func mixed7a(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b0 := ConvBN(n, name+"/branch0_1", x, w(256))
	b0 = ConvBN(n, name+"/branch0_2", b0, w(384), graph.K(3), graph.Stride(2))
	b1 := ConvBN(n, name+"/branch1_1", x, w(256))
	b1 = ConvBN(n, name+"/branch1_2", b1, w(288), graph.K(3), graph.Stride(2))
	b2 := ConvBN(n, name+"/branch2_1", x, w(256))
	b2 = ConvBN(n, name+"/branch2_2", b2, w(288), graph.K(3), graph.Pad(1))
	b2 = ConvBN(n, name+"/branch2_3", b2, w(320), graph.K(3), graph.Stride(2))
	return n.Concat(name+"/concat", b0, b1, b2, n.MaxPool(name+"/branch3", x, 3, 2, 0))
}

func inceptionV4Specs() []Spec {
	in := Config{Input: [3]int{3, 299, 299}, Classes: 1000}
	mnist := Config{Input: [3]int{1, 75, 75}, Classes: 10, Width: 0.125}
	return []Spec{
		{Name: "inception-v4", Description: "Inception-v4 (Szegedy et al. 2016, as timm)", Default: in, Init: graph.HeNormal, Build: InceptionV4},
		{Name: "inception-resnet-v2", Description: "Inception-ResNet-v2 with scaled residual connections (as timm)", Default: in, Init: graph.HeNormal, Build: InceptionResNetV2},
		{Name: "inception-v4-mnist", Description: "Inception-v4 at 1/8 width on MNIST enlarged to 75x75", Default: mnist, Init: graph.HeNormal, Build: InceptionV4},
		{Name: "inception-resnet-v2-mnist", Description: "Inception-ResNet-v2 at 1/8 width on MNIST enlarged to 75x75", Default: mnist, Init: graph.HeNormal, Build: InceptionResNetV2},
	}
}
