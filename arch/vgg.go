package arch

import (
	"fmt"

	"github.com/convnets/convnets/graph"
)

// vggConfigs are Simonyan & Zisserman's configurations A, B, D and E as
// torchvision lists them: the output channels of each 3x3 convolution, 0
// for a 2x2 max pooling.
var vggConfigs = map[string][]int{
	"vgg11": {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
	"vgg13": {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
	"vgg16": {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0},
	"vgg19": {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0},
}

// VGG builds a VGG network from cfg (3x3 convolutions with padding 1, 0 for
// a max pooling), with batch norm after each convolution when bn is set,
// then the classifier of torchvision: dense 4096, 4096 with ReLU and dropout
// 0.5, and the output layer. Like torchvision's _bn variants, the
// convolutions keep their bias before the batch norm. torchvision's adaptive
// 7x7 average pooling before the classifier is the identity at 224x224 and
// is left out: the first dense layer takes the map the input gives.
// Stages are named block1 ... block5 after the poolings.
func VGG(n *graph.Net, x *graph.Tensor, c Config, cfg []int, bn bool) *graph.Tensor {
	block, layer := 1, 1
	for _, ch := range cfg {
		stage := fmt.Sprintf("block%d", block)
		if ch == 0 {
			x = n.MaxPool(stage+"/pool", x, 2, 2, 0)
			block, layer = block+1, 1
			continue
		}
		name := fmt.Sprintf("%s/conv%d", stage, layer)
		x = n.Conv(name, x, c.W(ch), graph.K(3), graph.Pad(1))
		if bn {
			x = n.BatchNormReLU(name+"/bn", x)
		} else {
			x = x.ReLU()
		}
		layer++
	}
	x = n.Flatten("flatten", x)
	x = n.Dropout("classifier/fc1/dropout", n.Dense("classifier/fc1", x, c.W(4096)).ReLU(), 0.5)
	x = n.Dropout("classifier/fc2/dropout", n.Dense("classifier/fc2", x, c.W(4096)).ReLU(), 0.5)
	return n.Dense("classifier/fc3", x, c.Classes)
}

// VGGBuilder is VGG with torchvision's configuration name ("vgg11" to
// "vgg19"), with batch norm when bn is set.
func VGGBuilder(name string, bn bool) Builder {
	cfg := vggConfigs[name]
	return func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor { return VGG(n, x, c, cfg, bn) }
}

func vggSpecs() []Spec {
	var out []Spec
	for _, name := range []string{"vgg11", "vgg13", "vgg16", "vgg19"} {
		cfg := vggConfigs[name]
		for _, bn := range []bool{false, true} {
			s := Spec{Name: name, Description: "VGG configuration " + map[string]string{"vgg11": "A", "vgg13": "B", "vgg16": "D", "vgg19": "E"}[name] + " (torchvision)",
				Default: Config{Input: [3]int{3, 224, 224}, Classes: 1000}, Init: graph.HeNormal}
			if bn {
				s.Name += "-bn"
				s.Description += " with batch norm"
			}
			s.Build = func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor { return VGG(n, x, c, cfg, bn) }
			out = append(out, s)
		}
	}
	for _, bn := range []bool{false, true} {
		s := Spec{Name: "vgg11-mnist", Description: "VGG-11 at 1/8 width on MNIST enlarged to 32x32",
			Default: Config{Input: [3]int{1, 32, 32}, Classes: 10, Width: 0.125}, Init: graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
				return VGG(n, x, c, vggConfigs["vgg11"], bn)
			}}
		if bn {
			s.Name, s.Description = "vgg11-bn-mnist", "VGG-11 with batch norm (torchvision's vgg11_bn) at 1/8 width on MNIST enlarged to 32x32"
		}
		out = append(out, s)
	}
	return out
}
