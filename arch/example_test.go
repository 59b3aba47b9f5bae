package arch_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// A network of your own: write a Builder from graph's blocks, register it,
// and the cost summary, the training loop and evaluation work for it as for
// the built-in ones.
func Example_ownNetwork() {
	tiny := arch.Spec{
		Name:        "tiny-cnn",
		Description: "two convolutions with max pooling, batch norm, one dense layer",
		Default:     arch.Config{Input: [3]int{1, 28, 28}, Classes: 10},
		Build: func(n *graph.Net, x *graph.Tensor, c arch.Config) *graph.Tensor {
			x = n.Conv("conv1", x, 8, graph.K(3), graph.Pad(1)).ReLU()
			x = n.MaxPool("pool1", x, 2, 2, 0)
			x = n.Conv("conv2", x, 16, graph.K(3), graph.Pad(1), graph.NoBias())
			x = n.BatchNormReLU("bn2", x) // BatchNorm then .ReLU(), as one op
			x = n.MaxPool("pool2", x, 2, 2, 0)
			return n.Dense("fc", n.Flatten("flatten", x), c.Classes)
		},
	}
	reg := arch.Builtin()
	if err := reg.Register(tiny); err != nil {
		fmt.Println(err)
		return
	}
	spec, err := reg.Lookup("tiny-cnn")
	if err != nil {
		fmt.Println(err)
		return
	}

	// The cost summary reads the ledger; no weights are allocated.
	net, err := spec.New(spec.Default, graph.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := eval.Summarize(spec.Name, net)
	fmt.Printf("%s: %d params, %d non-trainable, %d MACs\n", s.Arch, s.Params, s.NonTrainable, s.MACs)

	// Train on the 500-image MNIST sample in testdata, then evaluate.
	data, err := datasets.Load(train.Job{Data: filepath.Join("..", "testdata", "mnist")}, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	net, err = spec.New(spec.Default, graph.Config{Batch: 50})
	if err == nil {
		err = net.Init(1)
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	prog, err := graph.Compile(net)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer prog.Close()
	history, err := train.Run(context.Background(), prog, data.Train, nil, data.Test,
		train.Config{Epochs: 4, Opt: train.OptConfig{Name: "adam", LR: 0.01}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	acc, err := eval.Evaluate(prog, data.Test)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("loss fell:", history[len(history)-1].TrainLoss < history[0].TrainLoss)
	fmt.Println("test accuracy above 70%:", acc.Accuracy > 0.7)
	// Output:
	// tiny-cnn: 9114 params, 32 non-trainable, 290080 MACs
	// loss fell: true
	// test accuracy above 70%: true
}
