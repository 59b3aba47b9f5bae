package arch

import (
	"fmt"

	"github.com/convnets/convnets/graph"
)

// ResNet is He et al. 2016 as torchvision builds it (version 1.5: a
// bottleneck block strides in its 3x3 convolution). The layer names are
// torchvision's, so that an export loads into torchvision's model.
type ResNet struct {
	// Blocks is the number of blocks of each of the four stages.
	Blocks [4]int
	// Bottleneck uses 1x1-3x3-1x1 blocks with 4x expansion (ResNet-50
	// and deeper) instead of two 3x3 convolutions.
	Bottleneck bool
	// SmallStem replaces the 7x7 stride-2 stem and its max pooling by one
	// 3x3 stride-1 convolution, for 28x28 and 32x32 images.
	SmallStem bool
}

// Build adds the network to x.
func (r ResNet) Build(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	n.SetStage("stem")
	if r.SmallStem {
		x = ConvBNNamed(n, "conv1", "bn1", x, c.W(64), graph.K(3), graph.Pad(1))
	} else {
		x = ConvBNNamed(n, "conv1", "bn1", x, c.W(64), graph.K(7), graph.Stride(2), graph.Pad(3))
		x = n.MaxPool("maxpool", x, 3, 2, 1)
	}
	for stage, blocks := range r.Blocks {
		name := fmt.Sprintf("layer%d", stage+1)
		n.SetStage(name)
		width := c.W(64 << stage)
		for b := 0; b < blocks; b++ {
			stride := 1
			if b == 0 && stage > 0 {
				stride = 2
			}
			block := fmt.Sprintf("%s/%d", name, b)
			if r.Bottleneck {
				x = BottleneckBlock(n, block, x, width, stride)
			} else {
				x = BasicBlock(n, block, x, width, stride)
			}
		}
	}
	n.SetStage("head")
	x = n.Flatten("flatten", n.GlobalAvgPool("avgpool", x))
	return n.Dense("fc", x, c.Classes)
}

// ConvBNNamed is a convolution without bias named conv, batch norm named bn
// and a ReLU: torchvision's layout, where the norm is a sibling of the
// convolution rather than below it.
func ConvBNNamed(n *graph.Net, conv, bn string, x *graph.Tensor, out int, opts ...graph.ConvOpt) *graph.Tensor {
	return n.BatchNormReLU(bn, n.Conv(conv, x, out, append(opts, graph.NoBias())...))
}

// convBN is a convolution without bias and batch norm, no activation.
func convBN(n *graph.Net, conv, bn string, x *graph.Tensor, out int, opts ...graph.ConvOpt) *graph.Tensor {
	return n.BatchNorm(bn, n.Conv(conv, x, out, append(opts, graph.NoBias())...))
}

// shortcut is a residual block's identity, or a strided 1x1 convolution
// with batch norm where the block changes the size or the width.
func shortcut(n *graph.Net, name string, x *graph.Tensor, out, stride int) *graph.Tensor {
	if stride == 1 && x.Shape()[1] == out {
		return x
	}
	return convBN(n, name+"/downsample/0", name+"/downsample/1", x, out, graph.Stride(stride))
}

// BasicBlock is ResNet-18/34's block: two 3x3 convolutions with batch
// norm, the first strided, added to the shortcut, then a ReLU.
func BasicBlock(n *graph.Net, name string, x *graph.Tensor, out, stride int) *graph.Tensor {
	h := ConvBNNamed(n, name+"/conv1", name+"/bn1", x, out, graph.K(3), graph.Stride(stride), graph.Pad(1))
	h = convBN(n, name+"/conv2", name+"/bn2", h, out, graph.K(3), graph.Pad(1))
	return n.Add(name+"/add", h, shortcut(n, name, x, out, stride)).ReLU()
}

// BottleneckBlock is ResNet-50's block: a 1x1 reduction to width, a
// strided 3x3 convolution, a 1x1 expansion to 4 x width, each with batch
// norm, added to the shortcut, then a ReLU.
func BottleneckBlock(n *graph.Net, name string, x *graph.Tensor, width, stride int) *graph.Tensor {
	h := ConvBNNamed(n, name+"/conv1", name+"/bn1", x, width)
	h = ConvBNNamed(n, name+"/conv2", name+"/bn2", h, width, graph.K(3), graph.Stride(stride), graph.Pad(1))
	h = convBN(n, name+"/conv3", name+"/bn3", h, 4*width)
	return n.Add(name+"/add", h, shortcut(n, name, x, 4*width, stride)).ReLU()
}

func resnetSpecs() []Spec {
	imagenet := Config{Input: [3]int{3, 224, 224}, Classes: 1000}
	spec := func(name, desc string, r ResNet, c Config) Spec {
		return Spec{Name: name, Description: desc, Default: c, Init: graph.HeNormal, Build: r.Build}
	}
	return []Spec{
		spec("resnet18", "ResNet-18 (He et al. 2016, torchvision)", ResNet{Blocks: [4]int{2, 2, 2, 2}}, imagenet),
		spec("resnet34", "ResNet-34 (He et al. 2016, torchvision)", ResNet{Blocks: [4]int{3, 4, 6, 3}}, imagenet),
		spec("resnet50", "ResNet-50 (He et al. 2016, torchvision's v1.5)", ResNet{Blocks: [4]int{3, 4, 6, 3}, Bottleneck: true}, imagenet),
		spec("resnet18-mnist", "ResNet-18 at 1/8 width with a 3x3 stride-1 stem, for 28x28 images",
			ResNet{Blocks: [4]int{2, 2, 2, 2}, SmallStem: true}, Config{Input: [3]int{1, 28, 28}, Classes: 10, Width: 0.125}),
	}
}
