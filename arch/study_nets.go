package arch

import (
	"github.com/convnets/convnets/graph"
)

// The networks of the lecture's accuracy studies (convnets study): each a
// family of Specs that differ in one thing. None is registered; the study
// names them.

// LeNetChanges makes the lecture's LeNet-5 (sigmoid, average pooling, no
// dropout: the zero value) more like AlexNet, one change at a time: ReLU
// for the sigmoid, max pooling for the average, dropout 0.5 after each
// hidden dense layer (before the next dense layer, as AlexNet's).
type LeNetChanges struct{ ReLU, MaxPool, Dropout bool }

// Build adds the network to x.
func (l LeNetChanges) Build(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	act, pool := graph.Sigmoid, n.AvgPool
	if l.ReLU {
		act = graph.ReLU
	}
	if l.MaxPool {
		pool = n.MaxPool
	}
	x = n.Conv("c1", x, 6, graph.K(5), graph.Pad(2)).Apply(act)
	x = pool("s2", x, 2, 2, 0)
	x = n.Conv("c3", x, 16, graph.K(5)).Apply(act)
	x = pool("s4", x, 2, 2, 0)
	x = n.Flatten("flatten", x)
	for _, d := range []struct {
		name string
		out  int
	}{{"c5", 120}, {"f6", 84}} {
		x = n.Dense(d.name, x, d.out).Apply(act)
		if l.Dropout {
			x = n.Dropout(d.name+"/dropout", x, 0.5)
		}
	}
	return n.Dense("output", x, c.Classes)
}

// GoogLeNetWith is the GoogLeNet preset with every Inception block replaced
// as style says: "inception" (none replaced), "conv3x3" or "conv5x5" (one
// convolution from the block's input to its output width, with bias and
// ReLU), or Inception v3's factorisations of the block, "double3x3" (the
// 5x5 branch as two 3x3) and "asymmetric" (each n x n as 1 x n then n x 1).
func GoogLeNetWith(style string) Builder {
	return func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
		block := func(n *graph.Net, name string, x *graph.Tensor, s InceptionSpec) *graph.Tensor {
			conv := func(n *graph.Net, name string, x *graph.Tensor, out int, opts ...graph.ConvOpt) *graph.Tensor {
				return n.Conv(name, x, out, opts...).ReLU()
			}
			switch style {
			case "conv3x3":
				return conv(n, name+"/conv3x3", x, s.Out(), graph.K(3), graph.Pad(1))
			case "conv5x5":
				return conv(n, name+"/conv5x5", x, s.Out(), graph.K(5), graph.Pad(2))
			case "double3x3", "asymmetric":
				return inceptionBlock(n, name, x, s, conv, style)
			}
			return Inception(n, name, x, s)
		}
		return googLeNet(n, x, c, block)
	}
}

// GoogLeNetStyles are GoogLeNetWith's styles, the preset's own first.
var GoogLeNetStyles = []string{"inception", "conv3x3", "conv5x5", "double3x3", "asymmetric"}

// WideShallow is the counterpart of vgg11-mnist in the lecture's "deep and
// narrow beats wide and shallow": two 3x3 convolutions of width channels
// (each with max pooling 2x2) in place of VGG-11's eight, global average
// pooling, and VGG's classifier at the same width. With width 32 its
// convolutions cost about as many MACs as vgg11-mnist's.
func WideShallow(width int) Builder {
	return func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
		x = n.MaxPool("block1/pool", n.Conv("block1/conv1", x, width, graph.K(3), graph.Pad(1)).ReLU(), 2, 2, 0)
		x = n.MaxPool("block2/pool", n.Conv("block2/conv1", x, width, graph.K(3), graph.Pad(1)).ReLU(), 2, 2, 0)
		x = n.Flatten("flatten", n.GlobalAvgPool("gap", x))
		x = n.Dropout("classifier/fc1/dropout", n.Dense("classifier/fc1", x, c.W(4096)).ReLU(), 0.5)
		x = n.Dropout("classifier/fc2/dropout", n.Dense("classifier/fc2", x, c.W(4096)).ReLU(), 0.5)
		return n.Dense("classifier/fc3", x, c.Classes)
	}
}
