package arch_test

import (
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
)

// seBasicBlock is a ResNet basic block with squeeze-and-excitation, written
// with graph's public blocks only: two 3x3 conv + BN, a channel gate
// (global average pooling, a reduction and an expansion, hard sigmoid)
// multiplied in, then the residual addition.
func seBasicBlock(n *graph.Net, name string, x *graph.Tensor, reduce int) *graph.Tensor {
	c := x.Shape()[1]
	h := n.BatchNorm(name+"/bn1", n.Conv(name+"/conv1", x, c, graph.K(3), graph.Pad(1), graph.NoBias())).ReLU()
	h = n.BatchNorm(name+"/bn2", n.Conv(name+"/conv2", h, c, graph.K(3), graph.Pad(1), graph.NoBias()))
	g := n.Flatten(name+"/se/flatten", n.GlobalAvgPool(name+"/se/squeeze", h))
	g = n.Dense(name+"/se/fc1", g, c/reduce).ReLU()
	g = n.Dense(name+"/se/fc2", g, c).HardSigmoid()
	return n.Add(name+"/add", x, n.Mul(name+"/se/excite", h, g)).ReLU()
}

// mobileBlock is MobileNetV2's inverted residual: a 1x1 expansion, a 3x3
// depthwise convolution (one group per channel), a 1x1 projection, each with
// batch norm, ReLU6 after the first two, and the residual addition.
func mobileBlock(n *graph.Net, name string, x *graph.Tensor, expand int) *graph.Tensor {
	c := x.Shape()[1]
	h := n.BatchNorm(name+"/bn1", n.Conv(name+"/expand", x, c*expand, graph.NoBias())).ReLU6()
	h = n.BatchNorm(name+"/bn2", n.Conv(name+"/depthwise", h, c*expand, graph.K(3), graph.Pad(1), graph.Groups(c*expand), graph.NoBias())).ReLU6()
	h = n.BatchNorm(name+"/bn3", n.Conv(name+"/project", h, c, graph.NoBias()))
	return n.Add(name+"/add", x, h)
}

// Blocks beyond the lecture, from the public API alone: an SE-ResNet block
// and a MobileNetV2 block in one small network, registered, counted and
// checked like the built-in ones. The counts were checked by hand: the
// 3x3 convolutions at 28x28 give 112,896 + 2 x 1,806,336 MACs, the SE
// gate's dense layers 128, the inverted residual at 14x14 200,704 + 112,896
// (depthwise) + 200,704, the classifier 160.
func Example_newBlocks() {
	spec := arch.Spec{
		Name:    "se-mobile-tiny",
		Default: arch.Config{Input: [3]int{1, 28, 28}, Classes: 10},
		Init:    graph.HeNormal,
		Build: func(n *graph.Net, x *graph.Tensor, c arch.Config) *graph.Tensor {
			x = n.BatchNorm("stem/bn", n.Conv("stem/conv", x, 16, graph.K(3), graph.Pad(1), graph.NoBias())).ReLU()
			x = seBasicBlock(n, "se1", x, 4)
			x = n.MaxPool("pool", x, 2, 2, 0)
			x = mobileBlock(n, "mb1", x, 4)
			return n.Dense("fc", n.Flatten("flatten", n.GlobalAvgPool("gap", x)), c.Classes)
		},
	}
	reg := arch.Builtin()
	if err := reg.Register(spec); err != nil {
		fmt.Println(err)
		return
	}
	net, err := spec.New(spec.Default, graph.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := eval.Summarize(spec.Name, net)
	fmt.Printf("params %d, non-trainable %d, MACs %d\n", s.Params, s.NonTrainable, s.MACs)
	err = graph.CheckGradients([3]int{4, 4, 4}, func(n *graph.Net, x *graph.Tensor) *graph.Tensor {
		return mobileBlock(n, "mb", seBasicBlock(n, "se", x, 2), 2)
	})
	fmt.Println("gradient check:", err)
	// Output:
	// params 8078, non-trainable 384, MACs 4240160
	// gradient check: <nil>
}
