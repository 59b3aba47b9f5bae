package arch

import (
	"github.com/convnets/convnets/graph"
)

// Block is one network of a cost study: a builder from the study's input
// to its output, without a classifier.
type Block struct {
	Name        string
	Description string
	Build       func(n *graph.Net, x *graph.Tensor) *graph.Tensor
}

// InceptionStudyInput is the input of GoogLeNet's first Inception block
// (3a): 192 channels at 28x28.
var InceptionStudyInput = [3]int{192, 28, 28}

// inception3a is GoogLeNet's block 3a, the lecture's example.
var inception3a = googlenetBlocks[0].spec

// InceptionStudy returns the lecture's cost comparison at 3a's input, every
// convolution without bias (the lecture counts weights only) and followed by
// a ReLU: the Inception block; a pure 3x3 and a pure 5x5 convolution to the
// same 256 channels; the naive block (the same kernels without the 1x1
// reductions); and Inception v3's factorisations of the block, the 5x5 as
// two 3x3 (C_in to C_out, then C_out to C_out) and each n x n as 1 x n then
// n x 1 (the same widths).
func InceptionStudy() []Block {
	s := inception3a
	conv := func(n *graph.Net, name string, x *graph.Tensor, out int, opts ...graph.ConvOpt) *graph.Tensor {
		return n.Conv(name, x, out, append(opts, graph.NoBias())...).ReLU()
	}
	pool := func(n *graph.Net, name string, x *graph.Tensor) *graph.Tensor { return n.MaxPool(name, x, 3, 1, 1) }
	return []Block{
		{"inception", "GoogLeNet's block 3a: 1x1 64 | 1x1 96, 3x3 128 | 1x1 16, 5x5 32 | pool, 1x1 32", func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
			return inceptionBlock(n, "inception", x, s, conv, "plain")
		}},
		{"conv3x3", "one 3x3 convolution, 192 to 256 channels", func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
			return conv(n, "conv3x3", x, s.Out(), graph.K(3), graph.Pad(1))
		}},
		{"conv5x5", "one 5x5 convolution, 192 to 256 channels", func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
			return conv(n, "conv5x5", x, s.Out(), graph.K(5), graph.Pad(2))
		}},
		{"naive", "the naive block: 1x1 64 | 3x3 128 | 5x5 32 | pool, on all 192 channels, no reductions", func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
			b1 := conv(n, "naive/branch1/conv1x1", x, s.C1)
			b2 := conv(n, "naive/branch2/conv3x3", x, s.C3, graph.K(3), graph.Pad(1))
			b3 := conv(n, "naive/branch3/conv5x5", x, s.C5, graph.K(5), graph.Pad(2))
			return n.Concat("naive/concat", b1, b2, b3, pool(n, "naive/branch4/pool", x))
		}},
		{"v3-double3x3", "3a with its 5x5 as two 3x3 (16 to 32, 32 to 32)", func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
			return inceptionBlock(n, "v3-double3x3", x, s, conv, "double3x3")
		}},
		{"v3-asymmetric", "3a with each n x n as 1 x n then n x 1 (3x3: 96 to 128, 128 to 128; 5x5: 16 to 32, 32 to 32)", func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
			return inceptionBlock(n, "v3-asymmetric", x, s, conv, "asymmetric")
		}},
	}
}

// Ledger builds b at input (batch 1, no weights) and returns its ledger and
// output shape.
func (b Block) Ledger(input [3]int) ([]graph.Layer, []int, error) {
	n, x := graph.New(graph.Config{Input: input, Classes: 1})
	out := b.Build(n, x)
	if err := n.Err(); err != nil {
		return nil, nil, err
	}
	return n.Ledger(), out.Shape()[1:], nil
}

// InceptionStudyNets are three small MNIST networks that differ only in
// their middle block, for training side by side: the same stem (a 3x3
// convolution of 32 and max pooling, then a 1x1 of 48 and max pooling, to
// 48x7x7), then an Inception block with GoogLeNet 3a's widths divided by 4
// (64 channels out), a 3x3 or a 5x5 convolution to 64 channels, then the
// same head (global average pooling and a dense layer). The input is MNIST's
// 1x28x28.
func InceptionStudyNets() []Spec {
	mini := inception3a.Scale(0.25)
	stem := func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
		x = n.MaxPool("stem/pool1", n.Conv("stem/conv1", x, 32, graph.K(3), graph.Pad(1)).ReLU(), 2, 2, 0)
		return n.MaxPool("stem/pool2", n.Conv("stem/conv2", x, 48).ReLU(), 2, 2, 0)
	}
	head := func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
		return n.Dense("head/fc", n.Flatten("head/flatten", n.GlobalAvgPool("head/gap", x)), c.Classes)
	}
	mnist := Config{Input: [3]int{1, 28, 28}, Classes: 10}
	return []Spec{
		{Name: "study-inception", Description: "stem, Inception block (3a / 4), head", Default: mnist, Init: graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
				return head(n, Inception(n, "inception", stem(n, x), mini), c)
			}},
		{Name: "study-conv3x3", Description: "stem, 3x3 convolution to the same width, head", Default: mnist, Init: graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
				return head(n, n.Conv("conv3x3", stem(n, x), mini.Out(), graph.K(3), graph.Pad(1)).ReLU(), c)
			}},
		{Name: "study-conv5x5", Description: "stem, 5x5 convolution to the same width, head", Default: mnist, Init: graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
				return head(n, n.Conv("conv5x5", stem(n, x), mini.Out(), graph.K(5), graph.Pad(2)).ReLU(), c)
			}},
	}
}
