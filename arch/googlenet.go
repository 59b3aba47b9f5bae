package arch

import (
	"math"
	"strconv"

	"github.com/convnets/convnets/graph"
)

// InceptionSpec gives the widths of an Inception (v1) block's four
// branches: a 1x1 convolution; a 1x1 reduction then a 3x3; a 1x1 reduction
// then a 5x5; a 3x3 max pooling (stride 1) then a 1x1 projection.
type InceptionSpec struct {
	C1, C3Red, C3, C5Red, C5, Pool int
}

// Out is the number of channels the block puts out.
func (s InceptionSpec) Out() int { return s.C1 + s.C3 + s.C5 + s.Pool }

// Scale multiplies every width by w, rounding to the nearest integer and
// keeping at least 1.
func (s InceptionSpec) Scale(w float64) InceptionSpec {
	f := func(c int) int { return scaleWidth(c, w) }
	return InceptionSpec{f(s.C1), f(s.C3Red), f(s.C3), f(s.C5Red), f(s.C5), f(s.Pool)}
}

// scaleWidth is max(1, round(c*w)); w = 1 leaves c as it is.
func scaleWidth(c int, w float64) int {
	if w == 1 || w == 0 {
		return c
	}
	return max(1, int(math.Round(float64(c)*w)))
}

// Inception adds GoogLeNet's block to x: four branches joined along the
// channels, every convolution (with bias) followed by a ReLU.
func Inception(n *graph.Net, name string, x *graph.Tensor, s InceptionSpec) *graph.Tensor {
	conv := func(n *graph.Net, name string, x *graph.Tensor, out int, opts ...graph.ConvOpt) *graph.Tensor {
		return n.Conv(name, x, out, opts...).ReLU()
	}
	return inceptionBlock(n, name, x, s, conv, "plain")
}

// googlenetBlocks are the nine Inception blocks of Szegedy et al. 2014,
// table 1, with a max pooling 3x3/2 after 3b and 4e.
var googlenetBlocks = []struct {
	name      string
	spec      InceptionSpec
	poolAfter bool
	aux       bool // an auxiliary head reads this block's output
}{
	{"inception3a", InceptionSpec{64, 96, 128, 16, 32, 32}, false, false},
	{"inception3b", InceptionSpec{128, 128, 192, 32, 96, 64}, true, false},
	{"inception4a", InceptionSpec{192, 96, 208, 16, 48, 64}, false, true},
	{"inception4b", InceptionSpec{160, 112, 224, 24, 64, 64}, false, false},
	{"inception4c", InceptionSpec{128, 128, 256, 24, 64, 64}, false, false},
	{"inception4d", InceptionSpec{112, 144, 288, 32, 64, 64}, false, true},
	{"inception4e", InceptionSpec{256, 160, 320, 32, 128, 128}, true, false},
	{"inception5a", InceptionSpec{256, 160, 320, 32, 128, 128}, false, false},
	{"inception5b", InceptionSpec{384, 192, 384, 48, 128, 128}, false, false},
}

// GoogLeNet is Szegedy et al. 2014 (Inception v1) as the paper's table 1
// gives it: real 5x5 convolutions, biases, no batch norm, dropout 0.4
// before the classifier, and optionally (c.Aux) the two auxiliary heads on
// 4a and 4d (5x5/3 average pooling, 1x1 conv of 128, dense 1024, dropout
// 0.7, classifier; weight 0.3 in the loss).
//
// Departures: the paper's local response normalisation (no parameters, no
// MACs) is left out; its max poolings round up (Caffe), here they pad by 1
// and round down, which gives the same map sizes (112, 56, 28, 14, 7).
// torchvision's googlenet differs more: batch norm after every conv and
// 3x3 convolutions in the "5x5" branch (a known bug kept for its weights).
// c.Width scales every width.
func GoogLeNet(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	return googLeNet(n, x, c, Inception)
}

// googLeNet is GoogLeNet with block in place of each Inception block.
func googLeNet(n *graph.Net, x *graph.Tensor, c Config, block func(*graph.Net, string, *graph.Tensor, InceptionSpec) *graph.Tensor) *graph.Tensor {
	n.SetStage("b1") // the lecture's (and d2l's) five stages
	x = n.Conv("stem/conv1", x, c.W(64), graph.K(7), graph.Stride(2), graph.Pad(3)).ReLU()
	x = n.MaxPool("stem/pool1", x, 3, 2, 1)
	n.SetStage("b2")
	x = n.Conv("stem/conv2_reduce", x, c.W(64)).ReLU()
	x = n.Conv("stem/conv2", x, c.W(192), graph.K(3), graph.Pad(1)).ReLU()
	x = n.MaxPool("stem/pool2", x, 3, 2, 1)
	for _, b := range googlenetBlocks {
		n.SetStage("b" + b.name[len("inception"):len("inception")+1])
		x = block(n, b.name, x, b.spec.Scale(c.Width))
		if b.aux && c.Aux {
			n.AuxOutput(googlenetAux(n, b.name+"_aux", x, c), 0.3)
		}
		if b.poolAfter {
			x = n.MaxPool(b.name+"_pool", x, 3, 2, 1)
		}
	}
	n.SetStage("head")
	x = n.Flatten("head/flatten", n.GlobalAvgPool("head/avgpool", x))
	x = n.Dropout("head/dropout", x, 0.4)
	return n.Dense("head/fc", x, c.Classes)
}

// googlenetAux is an auxiliary classifier of GoogLeNet.
func googlenetAux(n *graph.Net, name string, x *graph.Tensor, c Config) *graph.Tensor {
	x = n.AvgPool(name+"/pool", x, 5, 3, 0)
	x = n.Conv(name+"/conv", x, c.W(128)).ReLU()
	x = n.Dense(name+"/fc1", n.Flatten(name+"/flatten", x), c.W(1024)).ReLU()
	x = n.Dropout(name+"/dropout", x, 0.7)
	return n.Dense(name+"/fc2", x, c.Classes)
}

func googlenetSpecs() []Spec {
	return []Spec{{Name: "googlenet", Description: "GoogLeNet (Inception v1) as the paper's table 1: 5x5 branches, no batch norm",
		Default: Config{Input: [3]int{3, 224, 224}, Classes: 1000}, Init: graph.HeNormal, Build: GoogLeNet},
		{Name: "googlenet-mnist", Description: "GoogLeNet at 1/8 width on MNIST enlarged to 96x96 (as d2l)",
			Default: Config{Input: [3]int{1, 96, 96}, Classes: 10, Width: 0.125}, Init: graph.HeNormal, Build: GoogLeNet}}
}

// inceptionBlock is the Inception block with its 3x3 and 5x5 branches
// factorised as style says: "plain", "double3x3" (5x5 as two 3x3) or
// "asymmetric" (n x n as 1 x n then n x 1).
func inceptionBlock(n *graph.Net, name string, x *graph.Tensor, s InceptionSpec,
	conv func(*graph.Net, string, *graph.Tensor, int, ...graph.ConvOpt) *graph.Tensor, style string) *graph.Tensor {
	nxn := func(name string, x *graph.Tensor, out, k int) *graph.Tensor {
		if style == "asymmetric" {
			x = conv(n, name+"_1x"+strconv.Itoa(k), x, out, graph.K(1, k), graph.Pad(0, k/2))
			return conv(n, name+"_"+strconv.Itoa(k)+"x1", x, out, graph.K(k, 1), graph.Pad(k/2, 0))
		}
		if style == "double3x3" && k == 5 {
			x = conv(n, name+"_3x3a", x, out, graph.K(3), graph.Pad(1))
			return conv(n, name+"_3x3b", x, out, graph.K(3), graph.Pad(1))
		}
		return conv(n, name, x, out, graph.K(k), graph.Pad(k/2))
	}
	b1 := conv(n, name+"/branch1/conv1x1", x, s.C1)
	b2 := nxn(name+"/branch2/conv3x3", conv(n, name+"/branch2/reduce", x, s.C3Red), s.C3, 3)
	b3 := nxn(name+"/branch3/conv5x5", conv(n, name+"/branch3/reduce", x, s.C5Red), s.C5, 5)
	b4 := conv(n, name+"/branch4/conv1x1", n.MaxPool(name+"/branch4/pool", x, 3, 1, 1), s.Pool)
	return n.Concat(name+"/concat", b1, b2, b3, b4)
}
