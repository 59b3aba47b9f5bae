package arch

import "github.com/convnets/convnets/graph"

// LeNet5 is LeNet-5 as the lecture (and d2l) draw it: C1 6@28x28 (5x5,
// padding 2), S2 2x2 pooling, C3 16@10x10 (5x5), S4 2x2 pooling, C5 a dense
// layer of 120, F6 84, and the output layer, softmax in the loss.
//
// With act Sigmoid and average pooling it is d2l's version: 61,706
// parameters and 416,520 MACs at 1x28x28. It departs from LeCun et al. 1998
// in three ways that d2l also takes: C3 sees all six maps (the paper's
// partial connection table is left out), S2 and S4 are plain pooling (the
// paper's have a trainable coefficient and bias), and the output is a
// dense layer with softmax (the paper's are RBF units).
func LeNet5(n *graph.Net, x *graph.Tensor, c Config, act graph.Activation, maxPool bool) *graph.Tensor {
	pool := n.AvgPool
	if maxPool {
		pool = n.MaxPool
	}
	x = n.Conv("c1", x, 6, graph.K(5), graph.Pad(2)).Apply(act)
	x = pool("s2", x, 2, 2, 0)
	x = n.Conv("c3", x, 16, graph.K(5)).Apply(act)
	x = pool("s4", x, 2, 2, 0)
	x = n.Flatten("flatten", x)
	x = n.Dense("c5", x, 120).Apply(act)
	x = n.Dense("f6", x, 84).Apply(act)
	return n.Dense("output", x, c.Classes)
}

// LeNet5BN is the lecture's LeNet-5 with batch norm after each convolution
// and each hidden dense layer, before the sigmoid (d2l's batch-norm
// chapter; d2l drops C1's padding there, this keeps the lecture's shapes).
func LeNet5BN(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	x = n.BatchNorm("c1/bn", n.Conv("c1", x, 6, graph.K(5), graph.Pad(2))).Sigmoid()
	x = n.AvgPool("s2", x, 2, 2, 0)
	x = n.BatchNorm("c3/bn", n.Conv("c3", x, 16, graph.K(5))).Sigmoid()
	x = n.AvgPool("s4", x, 2, 2, 0)
	x = n.Flatten("flatten", x)
	x = n.BatchNorm("c5/bn", n.Dense("c5", x, 120)).Sigmoid()
	x = n.BatchNorm("f6/bn", n.Dense("f6", x, 84)).Sigmoid()
	return n.Dense("output", x, c.Classes)
}

func lenetSpecs() []Spec {
	mnist := Config{Input: [3]int{1, 28, 28}, Classes: 10}
	return []Spec{
		{
			Name:        "lenet5",
			Description: "LeNet-5 as in the lecture and d2l: sigmoid, average pooling",
			Default:     mnist,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
				return LeNet5(n, x, c, graph.Sigmoid, false)
			},
		},
		{
			Name:        "lenet5-relu",
			Description: "LeNet-5, modern variant: ReLU, max pooling, He initialisation",
			Default:     mnist,
			Init:        graph.HeNormal,
			Build: func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
				return LeNet5(n, x, c, graph.ReLU, true)
			},
		},
		{Name: "lenet5-bn", Description: "LeNet-5 with batch norm after each conv and hidden dense layer (d2l)", Default: mnist, Build: LeNet5BN},
		{Name: "lenet5-1998", Description: "LeNet-5 as LeCun et al. 1998: C3 connection table, trainable subsampling, RBF output",
			Default: Config{Input: [3]int{1, 32, 32}, Classes: 10}, Build: LeNet1998},
	}
}
