package arch

import "github.com/convnets/convnets/graph"

// InceptionV3 is Szegedy et al. 2015 ("Rethinking the Inception
// Architecture") as torchvision's inception_v3 defines it, at 3x299x299:
// a stem of ConvBN units, three blocks A (35x35), a grid reduction B, four
// blocks C with 1x7 and 7x1 factorisations (17x17), a reduction D, two
// blocks E with 1x3 and 3x1 branches (8x8), global average pooling,
// dropout 0.5 and the classifier. c.Aux adds the auxiliary head on the last
// C block (weight 0.4 in the loss, as torchvision's training recipe).
// torchvision's batch norm uses epsilon 0.001; convnets' uses 1e-5, which
// changes no count. c.Width scales every width.
func InceptionV3(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	w := c.W
	n.SetStage("stem")
	x = ConvBN(n, "Conv2d_1a_3x3", x, w(32), graph.K(3), graph.Stride(2))
	x = ConvBN(n, "Conv2d_2a_3x3", x, w(32), graph.K(3))
	x = ConvBN(n, "Conv2d_2b_3x3", x, w(64), graph.K(3), graph.Pad(1))
	x = n.MaxPool("maxpool1", x, 3, 2, 0)
	x = ConvBN(n, "Conv2d_3b_1x1", x, w(80))
	x = ConvBN(n, "Conv2d_4a_3x3", x, w(192), graph.K(3))
	x = n.MaxPool("maxpool2", x, 3, 2, 0)
	n.SetStage("35x35")
	x = inceptionA(n, "Mixed_5b", x, w(32), w)
	x = inceptionA(n, "Mixed_5c", x, w(64), w)
	x = inceptionA(n, "Mixed_5d", x, w(64), w)
	n.SetStage("17x17")
	x = inceptionB(n, "Mixed_6a", x, w)
	x = inceptionC(n, "Mixed_6b", x, w(128), w)
	x = inceptionC(n, "Mixed_6c", x, w(160), w)
	x = inceptionC(n, "Mixed_6d", x, w(160), w)
	x = inceptionC(n, "Mixed_6e", x, w(192), w)
	if c.Aux {
		n.SetStage("aux")
		n.AuxOutput(inceptionV3Aux(n, "AuxLogits", x, c.Classes, w), 0.4)
	}
	n.SetStage("8x8")
	x = inceptionD(n, "Mixed_7a", x, w)
	x = inceptionE(n, "Mixed_7b", x, w)
	x = inceptionE(n, "Mixed_7c", x, w)
	n.SetStage("head")
	x = n.Flatten("flatten", n.GlobalAvgPool("avgpool", x))
	x = n.Dropout("dropout", x, 0.5)
	return n.Dense("fc", x, c.Classes)
}

// inceptionA: 1x1 64; 1x1 48 then 5x5 64; 1x1 64 then two 3x3 96; average
// pooling then 1x1 pool.
func inceptionA(n *graph.Net, name string, x *graph.Tensor, pool int, w func(int) int) *graph.Tensor {
	b1 := ConvBN(n, name+"/branch1x1", x, w(64))
	b5 := ConvBN(n, name+"/branch5x5_1", x, w(48))
	b5 = ConvBN(n, name+"/branch5x5_2", b5, w(64), graph.K(5), graph.Pad(2))
	b3 := ConvBN(n, name+"/branch3x3dbl_1", x, w(64))
	b3 = ConvBN(n, name+"/branch3x3dbl_2", b3, w(96), graph.K(3), graph.Pad(1))
	b3 = ConvBN(n, name+"/branch3x3dbl_3", b3, w(96), graph.K(3), graph.Pad(1))
	bp := n.AvgPool(name+"/branch_pool/avgpool", x, 3, 1, 1)
	bp = ConvBN(n, name+"/branch_pool", bp, pool)
	return n.Concat(name+"/concat", b1, b5, b3, bp)
}

// inceptionB reduces 35x35 to 17x17: 3x3/2 384; 1x1 64, 3x3 96, 3x3/2 96;
// max pooling 3x3/2.
func inceptionB(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b3 := ConvBN(n, name+"/branch3x3", x, w(384), graph.K(3), graph.Stride(2))
	bd := ConvBN(n, name+"/branch3x3dbl_1", x, w(64))
	bd = ConvBN(n, name+"/branch3x3dbl_2", bd, w(96), graph.K(3), graph.Pad(1))
	bd = ConvBN(n, name+"/branch3x3dbl_3", bd, w(96), graph.K(3), graph.Stride(2))
	bp := n.MaxPool(name+"/branch_pool", x, 3, 2, 0)
	return n.Concat(name+"/concat", b3, bd, bp)
}

// inceptionC factorises 7x7 into 1x7 and 7x1: 1x1 192; 1x1 c7, 1x7 c7,
// 7x1 192; 1x1 c7, 7x1 c7, 1x7 c7, 7x1 c7, 1x7 192; average pooling, 1x1
// 192.
func inceptionC(n *graph.Net, name string, x *graph.Tensor, c7 int, w func(int) int) *graph.Tensor {
	row, col := []graph.ConvOpt{graph.K(1, 7), graph.Pad(0, 3)}, []graph.ConvOpt{graph.K(7, 1), graph.Pad(3, 0)}
	b1 := ConvBN(n, name+"/branch1x1", x, w(192))
	b7 := ConvBN(n, name+"/branch7x7_1", x, c7)
	b7 = ConvBN(n, name+"/branch7x7_2", b7, c7, row...)
	b7 = ConvBN(n, name+"/branch7x7_3", b7, w(192), col...)
	bd := ConvBN(n, name+"/branch7x7dbl_1", x, c7)
	bd = ConvBN(n, name+"/branch7x7dbl_2", bd, c7, col...)
	bd = ConvBN(n, name+"/branch7x7dbl_3", bd, c7, row...)
	bd = ConvBN(n, name+"/branch7x7dbl_4", bd, c7, col...)
	bd = ConvBN(n, name+"/branch7x7dbl_5", bd, w(192), row...)
	bp := n.AvgPool(name+"/branch_pool/avgpool", x, 3, 1, 1)
	bp = ConvBN(n, name+"/branch_pool", bp, w(192))
	return n.Concat(name+"/concat", b1, b7, bd, bp)
}

// inceptionD reduces 17x17 to 8x8: 1x1 192, 3x3/2 320; 1x1 192, 1x7 192,
// 7x1 192, 3x3/2 192; max pooling 3x3/2.
func inceptionD(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	b3 := ConvBN(n, name+"/branch3x3_1", x, w(192))
	b3 = ConvBN(n, name+"/branch3x3_2", b3, w(320), graph.K(3), graph.Stride(2))
	b7 := ConvBN(n, name+"/branch7x7x3_1", x, w(192))
	b7 = ConvBN(n, name+"/branch7x7x3_2", b7, w(192), graph.K(1, 7), graph.Pad(0, 3))
	b7 = ConvBN(n, name+"/branch7x7x3_3", b7, w(192), graph.K(7, 1), graph.Pad(3, 0))
	b7 = ConvBN(n, name+"/branch7x7x3_4", b7, w(192), graph.K(3), graph.Stride(2))
	bp := n.MaxPool(name+"/branch_pool", x, 3, 2, 0)
	return n.Concat(name+"/concat", b3, b7, bp)
}

// inceptionE widens the 8x8 blocks with parallel 1x3 and 3x1 convolutions:
// 1x1 320; 1x1 384 then 1x3 384 and 3x1 384; 1x1 448, 3x3 384, then 1x3
// 384 and 3x1 384; average pooling, 1x1 192.
func inceptionE(n *graph.Net, name string, x *graph.Tensor, w func(int) int) *graph.Tensor {
	row, col := []graph.ConvOpt{graph.K(1, 3), graph.Pad(0, 1)}, []graph.ConvOpt{graph.K(3, 1), graph.Pad(1, 0)}
	b1 := ConvBN(n, name+"/branch1x1", x, w(320))
	b3 := ConvBN(n, name+"/branch3x3_1", x, w(384))
	b3a := ConvBN(n, name+"/branch3x3_2a", b3, w(384), row...)
	b3b := ConvBN(n, name+"/branch3x3_2b", b3, w(384), col...)
	bd := ConvBN(n, name+"/branch3x3dbl_1", x, w(448))
	bd = ConvBN(n, name+"/branch3x3dbl_2", bd, w(384), graph.K(3), graph.Pad(1))
	bda := ConvBN(n, name+"/branch3x3dbl_3a", bd, w(384), row...)
	bdb := ConvBN(n, name+"/branch3x3dbl_3b", bd, w(384), col...)
	bp := n.AvgPool(name+"/branch_pool/avgpool", x, 3, 1, 1)
	bp = ConvBN(n, name+"/branch_pool", bp, w(192))
	return n.Concat(name+"/concat", b1, b3a, b3b, bda, bdb, bp)
}

// inceptionV3Aux is the auxiliary classifier on the 17x17 grid: average
// pooling 5x5/3, 1x1 128, 5x5 768, global average pooling, dense.
func inceptionV3Aux(n *graph.Net, name string, x *graph.Tensor, classes int, w func(int) int) *graph.Tensor {
	x = n.AvgPool(name+"/avgpool", x, 5, 3, 0)
	x = ConvBN(n, name+"/conv0", x, w(128))
	x = ConvBN(n, name+"/conv1", x, w(768), graph.K(5))
	x = n.Flatten(name+"/flatten", n.GlobalAvgPool(name+"/gap", x))
	return n.Dense(name+"/fc", x, classes)
}

func inceptionV3Specs() []Spec {
	return []Spec{{Name: "inception-v3", Description: "Inception v3 as torchvision's inception_v3 (blocks A-E, factorised convolutions)",
		Default: Config{Input: [3]int{3, 299, 299}, Classes: 1000}, Init: graph.HeNormal, Build: InceptionV3},
		{Name: "inception-v3-mnist", Description: "Inception v3 at 1/8 width on MNIST enlarged to 75x75 (its smallest input)",
			Default: Config{Input: [3]int{1, 75, 75}, Classes: 10, Width: 0.125}, Init: graph.HeNormal, Build: InceptionV3}}
}
