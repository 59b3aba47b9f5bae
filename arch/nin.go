package arch

import "github.com/convnets/convnets/graph"

// ninBlock is a convolution followed by two 1x1 convolutions, each with a
// ReLU: the "micro network" of Network in Network. last leaves out the
// final ReLU (see NiN).
func ninBlock(n *graph.Net, name string, x *graph.Tensor, out, k, stride, pad int, last bool) *graph.Tensor {
	x = n.Conv(name+"/conv", x, out, graph.K(k), graph.Stride(stride), graph.Pad(pad)).ReLU()
	x = n.Conv(name+"/mlp1", x, out).ReLU()
	x = n.Conv(name+"/mlp2", x, out)
	if last {
		return x
	}
	return x.ReLU()
}

// NiN is Lin, Chen & Yan 2013 as d2l builds it: NiN blocks of 96 (11x11,
// stride 4), 256 (5x5) and 384 (3x3) channels, each followed by 3x3/2 max
// pooling, dropout 0.5, a last block with one channel per class, and global
// average pooling in place of dense layers.
//
// Departure from d2l: the last block's final 1x1 convolution has no ReLU.
// With it, a class whose only channel goes negative for every image stops
// learning for good: nin-mnist trained that way stalled at 77.8% test
// accuracy after two epochs. No parameter or MAC changes.
func NiN(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	x = ninBlock(n, "block1", x, c.W(96), 11, 4, 0, false)
	x = n.MaxPool("pool1", x, 3, 2, 0)
	x = ninBlock(n, "block2", x, c.W(256), 5, 1, 2, false)
	x = n.MaxPool("pool2", x, 3, 2, 0)
	x = ninBlock(n, "block3", x, c.W(384), 3, 1, 1, false)
	x = n.MaxPool("pool3", x, 3, 2, 0)
	x = n.Dropout("dropout", x, 0.5)
	x = ninBlock(n, "block4", x, c.Classes, 3, 1, 1, true)
	return n.Flatten("flatten", n.GlobalAvgPool("gap", x))
}

func ninSpecs() []Spec {
	return []Spec{{Name: "nin", Description: "Network in Network as in d2l (global average pooling head)",
		Default: Config{Input: [3]int{3, 224, 224}, Classes: 1000}, Init: graph.HeNormal, Build: NiN},
		{Name: "nin-mnist", Description: "NiN at 1/4 width on MNIST enlarged to 96x96",
			Default: Config{Input: [3]int{1, 96, 96}, Classes: 10, Width: 0.25}, Init: graph.HeNormal, Build: NiN}}
}
