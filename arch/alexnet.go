package arch

import "github.com/convnets/convnets/graph"

// AlexNet is Krizhevsky, Sutskever & Hinton 2012 as torchvision defines it:
// one column (64, 192, 384, 256, 256 filters), no local response
// normalisation, dropout before the first two dense layers. torchvision
// puts an adaptive 6x6 average pooling before the classifier; at the
// default 224x224 input the map is 6x6 already, and here the first dense
// layer takes whatever map the input gives instead (at 224x224 the two
// agree).
func AlexNet(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	x = n.Conv("features/conv1", x, c.W(64), graph.K(11), graph.Stride(4), graph.Pad(2)).ReLU()
	x = n.MaxPool("features/pool1", x, 3, 2, 0)
	x = n.Conv("features/conv2", x, c.W(192), graph.K(5), graph.Pad(2)).ReLU()
	x = n.MaxPool("features/pool2", x, 3, 2, 0)
	x = n.Conv("features/conv3", x, c.W(384), graph.K(3), graph.Pad(1)).ReLU()
	x = n.Conv("features/conv4", x, c.W(256), graph.K(3), graph.Pad(1)).ReLU()
	x = n.Conv("features/conv5", x, c.W(256), graph.K(3), graph.Pad(1)).ReLU()
	x = n.MaxPool("features/pool5", x, 3, 2, 0)
	return alexnetClassifier(n, n.Flatten("flatten", x), c, true, "classifier/fc6", "classifier/fc7", "classifier/fc8")
}

// alexnetClassifier is the three dense layers, named by names, with dropout
// 0.5 before the first two (torchvision) or after them (d2l, the paper).
func alexnetClassifier(n *graph.Net, x *graph.Tensor, c Config, dropoutFirst bool, names ...string) *graph.Tensor {
	for _, name := range names[:2] {
		if dropoutFirst {
			x = n.Dropout(name+"/dropout", x, 0.5)
		}
		x = n.Dense(name, x, c.W(4096)).ReLU()
		if !dropoutFirst {
			x = n.Dropout(name+"/dropout", x, 0.5)
		}
	}
	return n.Dense(names[2], x, c.Classes)
}

// AlexNetD2L is the lecture's (d2l's) AlexNet: 96 11x11 filters with stride
// 4 and padding 1, 256 5x5, three 3x3 layers of 384, 384 and 256, max
// pooling 3/2 after the first, second and fifth, then dense layers of 4096
// and 4096 with dropout 0.5 after each.
func AlexNetD2L(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	return AlexNetChanges{}.Build(n, x, c)
}

// AlexNetChanges undoes what AlexNet changed from LeNet, one at a time, in
// the lecture's AlexNet (the zero value is the network itself): Sigmoid
// for ReLU, AvgPool for max pooling, NoDropout for the dropout.
type AlexNetChanges struct{ Sigmoid, AvgPool, NoDropout bool }

// Build adds the network to x.
func (a AlexNetChanges) Build(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	act, pool := graph.ReLU, n.MaxPool
	if a.Sigmoid {
		act = graph.Sigmoid
	}
	if a.AvgPool {
		pool = n.AvgPool
	}
	x = n.Conv("conv1", x, c.W(96), graph.K(11), graph.Stride(4), graph.Pad(1)).Apply(act)
	x = pool("pool1", x, 3, 2, 0)
	x = n.Conv("conv2", x, c.W(256), graph.K(5), graph.Pad(2)).Apply(act)
	x = pool("pool2", x, 3, 2, 0)
	x = n.Conv("conv3", x, c.W(384), graph.K(3), graph.Pad(1)).Apply(act)
	x = n.Conv("conv4", x, c.W(384), graph.K(3), graph.Pad(1)).Apply(act)
	x = n.Conv("conv5", x, c.W(256), graph.K(3), graph.Pad(1)).Apply(act)
	x = pool("pool5", x, 3, 2, 0)
	x = n.Flatten("flatten", x)
	for _, name := range []string{"dense1", "dense2"} {
		x = n.Dense(name, x, c.W(4096)).Apply(act)
		if !a.NoDropout {
			x = n.Dropout(name+"/dropout", x, 0.5)
		}
	}
	return n.Dense("output", x, c.Classes)
}

// AlexNet2GPU is the paper's two-column network at 3x227x227: conv2, conv4
// and conv5 see only the maps of their own column (two groups), conv1,
// conv3 and the dense layers see both. The paper's local response
// normalisation after conv1 and conv2 is left out (it has no parameters and
// no multiply-accumulates; torchvision and d2l drop it too).
func AlexNet2GPU(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	x = n.Conv("conv1", x, c.W(96), graph.K(11), graph.Stride(4)).ReLU()
	x = n.MaxPool("pool1", x, 3, 2, 0)
	x = n.Conv("conv2", x, c.W(256), graph.K(5), graph.Pad(2), graph.Groups(2)).ReLU()
	x = n.MaxPool("pool2", x, 3, 2, 0)
	x = n.Conv("conv3", x, c.W(384), graph.K(3), graph.Pad(1)).ReLU()
	x = n.Conv("conv4", x, c.W(384), graph.K(3), graph.Pad(1), graph.Groups(2)).ReLU()
	x = n.Conv("conv5", x, c.W(256), graph.K(3), graph.Pad(1), graph.Groups(2)).ReLU()
	x = n.MaxPool("pool5", x, 3, 2, 0)
	return alexnetClassifier(n, n.Flatten("flatten", x), c, false, "fc6", "fc7", "fc8")
}

func alexnetSpecs() []Spec {
	imagenet := Config{Input: [3]int{3, 224, 224}, Classes: 1000}
	return []Spec{
		{Name: "alexnet", Description: "AlexNet as torchvision defines it (one column, no LRN)", Default: imagenet, Init: graph.HeNormal, Build: AlexNet},
		{Name: "alexnet-d2l", Description: "AlexNet as the lecture and d2l define it (96-256-384-384-256)", Default: imagenet, Init: graph.HeNormal, Build: AlexNetD2L},
		{Name: "alexnet-2gpu", Description: "AlexNet as the paper lays it out: two columns (grouped conv2, conv4, conv5)",
			Default: Config{Input: [3]int{3, 227, 227}, Classes: 1000}, Init: graph.HeNormal, Build: AlexNet2GPU},
		{Name: "alexnet-mnist", Description: "the lecture's AlexNet at 1/8 width on MNIST enlarged to 96x96",
			Default: Config{Input: [3]int{1, 96, 96}, Classes: 10, Width: 0.125}, Init: graph.HeNormal, Build: AlexNetD2L},
	}
}
