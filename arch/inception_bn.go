package arch

import "github.com/convnets/convnets/graph"

// BNInceptionSpec gives the widths of a block of Inception-BN (Ioffe &
// Szegedy 2015, figure 5): a 1x1 branch; a 1x1 reduction then a 3x3; a 1x1
// reduction then two 3x3 (in place of v1's 5x5); a 3x3 pooling, average or
// max, then a 1x1 projection. A stride-2 block has no 1x1 branch, its 3x3
// convolutions and its max pooling have stride 2, and the pooling passes
// its input through without projection.
type BNInceptionSpec struct {
	C1, C3Red, C3, D3Red, D3, Pool int
	MaxPool, Stride2               bool
}

// Scale multiplies every width by w.
func (s BNInceptionSpec) Scale(w float64) BNInceptionSpec {
	f := func(c int) int {
		if c == 0 {
			return 0
		}
		return scaleWidth(c, w)
	}
	s.C1, s.C3Red, s.C3, s.D3Red, s.D3, s.Pool = f(s.C1), f(s.C3Red), f(s.C3), f(s.D3Red), f(s.D3), f(s.Pool)
	return s
}

// BNInception adds one block of Inception-BN; every convolution is a ConvBN
// unit.
func BNInception(n *graph.Net, name string, x *graph.Tensor, s BNInceptionSpec) *graph.Tensor {
	stride := 1
	if s.Stride2 {
		stride = 2
	}
	var branches []*graph.Tensor
	if s.C1 > 0 {
		branches = append(branches, ConvBN(n, name+"/branch1/conv1x1", x, s.C1))
	}
	b2 := ConvBN(n, name+"/branch2/reduce", x, s.C3Red)
	b2 = ConvBN(n, name+"/branch2/conv3x3", b2, s.C3, graph.K(3), graph.Pad(1), graph.Stride(stride))
	b3 := ConvBN(n, name+"/branch3/reduce", x, s.D3Red)
	b3 = ConvBN(n, name+"/branch3/conv3x3a", b3, s.D3, graph.K(3), graph.Pad(1))
	b3 = ConvBN(n, name+"/branch3/conv3x3b", b3, s.D3, graph.K(3), graph.Pad(1), graph.Stride(stride))
	var b4 *graph.Tensor
	if s.MaxPool || s.Stride2 {
		b4 = n.MaxPool(name+"/branch4/pool", x, 3, stride, 1)
	} else {
		b4 = n.AvgPool(name+"/branch4/pool", x, 3, 1, 1)
	}
	if !s.Stride2 {
		b4 = ConvBN(n, name+"/branch4/proj", b4, s.Pool)
	}
	branches = append(branches, b2, b3, b4)
	return n.Concat(name+"/concat", branches...)
}

// bnInceptionBlocks is figure 5 of Ioffe & Szegedy 2015.
var bnInceptionBlocks = []struct {
	name string
	spec BNInceptionSpec
}{
	{"inception3a", BNInceptionSpec{C1: 64, C3Red: 64, C3: 64, D3Red: 64, D3: 96, Pool: 32}},
	{"inception3b", BNInceptionSpec{C1: 64, C3Red: 64, C3: 96, D3Red: 64, D3: 96, Pool: 64}},
	{"inception3c", BNInceptionSpec{C3Red: 128, C3: 160, D3Red: 64, D3: 96, Stride2: true}},
	{"inception4a", BNInceptionSpec{C1: 224, C3Red: 64, C3: 96, D3Red: 96, D3: 128, Pool: 128}},
	{"inception4b", BNInceptionSpec{C1: 192, C3Red: 96, C3: 128, D3Red: 96, D3: 128, Pool: 128}},
	{"inception4c", BNInceptionSpec{C1: 160, C3Red: 128, C3: 160, D3Red: 128, D3: 160, Pool: 128}},
	{"inception4d", BNInceptionSpec{C1: 96, C3Red: 128, C3: 192, D3Red: 160, D3: 192, Pool: 128}},
	{"inception4e", BNInceptionSpec{C3Red: 128, C3: 192, D3Red: 192, D3: 256, Stride2: true}},
	{"inception5a", BNInceptionSpec{C1: 352, C3Red: 192, C3: 320, D3Red: 160, D3: 224, Pool: 128}},
	{"inception5b", BNInceptionSpec{C1: 352, C3Red: 192, C3: 320, D3Red: 192, D3: 224, Pool: 128, MaxPool: true}},
}

// InceptionBN is Inception-BN (BN-Inception, "Inception v2") of Ioffe &
// Szegedy 2015, figure 5: GoogLeNet with batch norm after every
// convolution, each 5x5 replaced by two 3x3, average pooling in most pool
// branches, and stride-2 blocks (3c, 4e) in place of the max poolings
// between stages. The stem is conv 7x7/2 of 64, max pool 3x3/2, conv 1x1 of
// 64, conv 3x3 of 192, max pool 3x3/2. The paper has no dropout before the
// classifier and no auxiliary heads are built. The 7x7 stem convolution is a
// plain one (the paper's separable variant belongs to a later model).
func InceptionBN(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	n.SetStage("b1")
	x = ConvBN(n, "stem/conv1", x, c.W(64), graph.K(7), graph.Stride(2), graph.Pad(3))
	x = n.MaxPool("stem/pool1", x, 3, 2, 1)
	n.SetStage("b2")
	x = ConvBN(n, "stem/conv2_reduce", x, c.W(64))
	x = ConvBN(n, "stem/conv2", x, c.W(192), graph.K(3), graph.Pad(1))
	x = n.MaxPool("stem/pool2", x, 3, 2, 1)
	for _, b := range bnInceptionBlocks {
		n.SetStage("b" + b.name[len("inception"):len("inception")+1])
		x = BNInception(n, b.name, x, b.spec.Scale(c.Width))
	}
	n.SetStage("head")
	x = n.Flatten("head/flatten", n.GlobalAvgPool("head/avgpool", x))
	return n.Dense("head/fc", x, c.Classes)
}

func inceptionBNSpecs() []Spec {
	return []Spec{{Name: "inception-bn", Description: "Inception-BN (v2): batch norm, double 3x3 in place of 5x5 (Ioffe & Szegedy 2015)",
		Default: Config{Input: [3]int{3, 224, 224}, Classes: 1000}, Init: graph.HeNormal, Build: InceptionBN},
		{Name: "inception-bn-mnist", Description: "Inception-BN at 1/8 width on MNIST enlarged to 64x64",
			Default: Config{Input: [3]int{1, 64, 64}, Classes: 10, Width: 0.125}, Init: graph.HeNormal, Build: InceptionBN}}
}
