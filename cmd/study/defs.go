package study

import (
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/train"
)

// presetArm is a registered preset trained with its recipe for the
// options' dataset, as `convnets train -arch NAME -dataset D` would.
func presetArm(reg *arch.Registry, name string, o Options) (Arm, error) {
	spec, err := reg.Lookup(name)
	if err != nil {
		return Arm{}, err
	}
	job, _, _, err := jobs.RecipeJob(reg, spec, o.dataset(), o.Data)
	if err != nil {
		return Arm{}, fmt.Errorf("%s: %w", name, err)
	}
	return Arm{Name: name, Spec: spec, Job: job}, nil
}

// variantArm is a network that differs from the preset base in one thing,
// trained with base's job: the same data, recipe and configuration.
func variantArm(reg *arch.Registry, base, name, desc string, build arch.Builder, o Options) (Arm, error) {
	a, err := presetArm(reg, base, o)
	if err != nil {
		return Arm{}, err
	}
	a.Spec = arch.Spec{Name: name, Description: desc, Default: a.Spec.Default, Init: a.Spec.Init, Build: build}
	a.Name, a.Job.Arch = name, name
	return a, nil
}

// armsOf collects arms, stopping at the first error.
func armsOf(makers ...func() (Arm, error)) ([]Arm, error) {
	var out []Arm
	for _, m := range makers {
		a, err := m()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

var inceptionStudy = register(Study{
	Name:  "inception",
	Title: "Inception against pure 3x3 and 5x5 convolutions, at the scale of a network",
	About: "The GoogLeNet preset (1/8 width, 96x96) against the same network with every Inception block replaced by one 3x3 " +
		"or one 5x5 convolution of the block's input and output widths, and with Inception v3's factorisations of the block " +
		"(the 5x5 branch as two 3x3; each n x n as 1 x n then n x 1); every arm trains with the preset's recipe.",
	Claims: []eval.Claim{
		{Text: "Inception matches a pure 3x3 convolution's accuracy at a fraction of its cost", Kind: eval.ClaimComparable, A: "googlenet-mnist", B: "googlenet-conv3x3"},
		{Text: "Inception matches a pure 5x5 convolution's accuracy at a fraction of its cost", Kind: eval.ClaimComparable, A: "googlenet-mnist", B: "googlenet-conv5x5"},
		{Text: "the 5x5 branch as two 3x3 keeps the accuracy at fewer MACs", Kind: eval.ClaimComparable, A: "googlenet-double3x3", B: "googlenet-mnist"},
		{Text: "n x n as 1 x n then n x 1 keeps the accuracy at fewer MACs", Kind: eval.ClaimComparable, A: "googlenet-asymmetric", B: "googlenet-mnist"},
	},
	NoGain: true,
	arms: func(reg *arch.Registry, o Options) ([]Arm, error) {
		var makers []func() (Arm, error)
		for _, style := range arch.GoogLeNetStyles {
			if style == "inception" {
				makers = append(makers, func() (Arm, error) { return presetArm(reg, "googlenet-mnist", o) })
				continue
			}
			makers = append(makers, func() (Arm, error) {
				return variantArm(reg, "googlenet-mnist", "googlenet-"+style, "googlenet-mnist with its Inception blocks as "+style,
					arch.GoogLeNetWith(style), o)
			})
		}
		return armsOf(makers...)
	},
})

// bnRates are the learning rates of the batch-norm study (plain SGD, as
// d2l trains both LeNets: 0.9 without batch norm, 1.0 with).
var bnRates = []float64{0.1, 0.9, 3}

var batchNormStudy = register(Study{
	Name:  "batchnorm",
	Title: "Batch norm: larger learning rates, fewer epochs",
	About: "LeNet-5 (the lecture's, sigmoid) with and without batch norm, trained with plain SGD (no momentum, constant rate, " +
		"batch 256, as d2l) at several learning rates; validation accuracy after each epoch on held-out training images.",
	Goal:   map[string]float64{"fashion-mnist": 0.8, "mnist": 0.95},
	Claims: bnClaims(),
	Curves: true,
	Val:    10000,
	arms: func(reg *arch.Registry, o Options) ([]Arm, error) {
		var makers []func() (Arm, error)
		for _, name := range []string{"lenet5", "lenet5-bn"} {
			for _, lr := range bnRates {
				makers = append(makers, func() (Arm, error) {
					a, err := presetArm(reg, name, o)
					if err != nil {
						return a, err
					}
					a.Name = fmt.Sprintf("%s-lr%g", name, lr)
					a.Job.Opt = train.OptConfig{Name: "sgd", LR: lr}
					a.Job.Schedule = train.Schedule{Name: "constant"}
					a.Job.Batch, a.Job.Epochs, a.Job.Replicas = 256, 10, -1
					return a, nil
				})
			}
		}
		return armsOf(makers...)
	},
})

func bnClaims() []eval.Claim {
	var out []eval.Claim
	for _, lr := range bnRates {
		out = append(out, eval.Claim{Text: fmt.Sprintf("with batch norm LeNet reaches the goal in fewer epochs (lr %g)", lr),
			Kind: eval.ClaimFaster, A: fmt.Sprintf("lenet5-bn-lr%g", lr), B: fmt.Sprintf("lenet5-lr%g", lr)})
	}
	hi := bnRates[len(bnRates)-1]
	return append(out, eval.Claim{Text: fmt.Sprintf("batch norm allows the larger rate (lr %g)", hi), Kind: eval.ClaimBetter,
		A: fmt.Sprintf("lenet5-bn-lr%g", hi), B: fmt.Sprintf("lenet5-lr%g", hi)})
}

var depthStudy = register(Study{
	Name:  "depth",
	Title: "Depth and width, LeNet to GoogLeNet",
	About: "The Fashion-MNIST leaderboard's networks, each with its recipe; and the lecture's \"deep and narrow beats wide and " +
		"shallow\": VGG-11 at 1/8 width (eight 3x3 convolutions) against two 3x3 convolutions of 32 channels with about the " +
		"same MACs, both with VGG-11's recipe at 1/8 width.",
	Claims: []eval.Claim{
		{Text: "deep and narrow beats wide and shallow at about the same cost", Kind: eval.ClaimBetter, A: "vgg11-deep-narrow", B: "wide-shallow"},
		{Text: "AlexNet beats LeNet", Kind: eval.ClaimBetter, A: "alexnet-mnist", B: "lenet5"},
		{Text: "VGG beats AlexNet", Kind: eval.ClaimBetter, A: "vgg11-mnist", B: "alexnet-mnist"},
		{Text: "NiN beats AlexNet", Kind: eval.ClaimBetter, A: "nin-mnist", B: "alexnet-mnist"},
		{Text: "GoogLeNet beats AlexNet", Kind: eval.ClaimBetter, A: "googlenet-mnist", B: "alexnet-mnist"},
	},
	NoGain: true,
	arms: func(reg *arch.Registry, o Options) ([]Arm, error) {
		var makers []func() (Arm, error)
		for _, name := range []string{"lenet5", "lenet5-relu", "lenet5-bn", "alexnet-mnist", "vgg11-mnist", "nin-mnist", "googlenet-mnist", "inception-bn-mnist"} {
			makers = append(makers, func() (Arm, error) { return presetArm(reg, name, o) })
		}
		narrow := func(a Arm, err error) (Arm, error) {
			a.Job.Width = 0.125
			return a, err
		}
		makers = append(makers,
			func() (Arm, error) {
				return narrow(variantArm(reg, "vgg11-mnist", "vgg11-deep-narrow", "vgg11-mnist at 1/8 width", arch.VGGBuilder("vgg11", false), o))
			},
			func() (Arm, error) {
				return narrow(variantArm(reg, "vgg11-mnist", "wide-shallow", "two 3x3 convolutions of 32, VGG-11's classifier at 1/8 width",
					arch.WideShallow(32), o))
			})
		return armsOf(makers...)
	},
})

var alexnetStudy = register(Study{
	Name:  "alexnet",
	Title: "What AlexNet changed: ReLU, max pooling, dropout",
	About: "The lecture's LeNet-5 (sigmoid, average pooling) with one of AlexNet's changes at a time and all three, and the " +
		"AlexNet preset with each undone; LeNets with LeNet-5's recipe, AlexNets with AlexNet's.",
	Claims: []eval.Claim{
		{Text: "ReLU improves LeNet", Kind: eval.ClaimBetter, A: "lenet5+relu", B: "lenet5"},
		{Text: "max pooling improves LeNet", Kind: eval.ClaimBetter, A: "lenet5+maxpool", B: "lenet5"},
		{Text: "dropout improves LeNet", Kind: eval.ClaimBetter, A: "lenet5+dropout", B: "lenet5"},
		{Text: "the three together improve LeNet", Kind: eval.ClaimBetter, A: "lenet5+all", B: "lenet5"},
		{Text: "AlexNet needs ReLU", Kind: eval.ClaimBetter, A: "alexnet-mnist", B: "alexnet-mnist-sigmoid"},
		{Text: "AlexNet needs max pooling", Kind: eval.ClaimBetter, A: "alexnet-mnist", B: "alexnet-mnist-avgpool"},
		{Text: "AlexNet needs dropout", Kind: eval.ClaimBetter, A: "alexnet-mnist", B: "alexnet-mnist-nodropout"},
	},
	arms: func(reg *arch.Registry, o Options) ([]Arm, error) {
		lenet := func(name string, ch arch.LeNetChanges) func() (Arm, error) {
			return func() (Arm, error) {
				return variantArm(reg, "lenet5", name, "LeNet-5 with AlexNet's changes: "+name, ch.Build, o)
			}
		}
		alex := func(name string, ch arch.AlexNetChanges) func() (Arm, error) {
			return func() (Arm, error) {
				return variantArm(reg, "alexnet-mnist", name, "the AlexNet preset with a change undone: "+name, ch.Build, o)
			}
		}
		return armsOf(
			func() (Arm, error) { return presetArm(reg, "lenet5", o) },
			lenet("lenet5+relu", arch.LeNetChanges{ReLU: true}),
			lenet("lenet5+maxpool", arch.LeNetChanges{MaxPool: true}),
			lenet("lenet5+dropout", arch.LeNetChanges{Dropout: true}),
			lenet("lenet5+all", arch.LeNetChanges{ReLU: true, MaxPool: true, Dropout: true}),
			func() (Arm, error) { return presetArm(reg, "alexnet-mnist", o) },
			alex("alexnet-mnist-sigmoid", arch.AlexNetChanges{Sigmoid: true}),
			alex("alexnet-mnist-avgpool", arch.AlexNetChanges{AvgPool: true}),
			alex("alexnet-mnist-nodropout", arch.AlexNetChanges{NoDropout: true}),
		)
	},
})

var inceptionVersionsStudy = register(Study{
	Name:  "inception-versions",
	Title: "Inception v3, v4 and Inception-ResNet-v2 against Inception-BN",
	About: "The MNIST-sized presets of Inception-BN, v3, v4 and Inception-ResNet-v2, each with its recipe (on Fashion-MNIST, " +
		"where only Inception-BN has one, the others take their MNIST recipe's optimizer, rate and epochs, with flips in place " +
		"of shifts); validation accuracy after each epoch for the residual claim, judged on one recipe at a time: " +
		"Inception-ResNet-v2 and Inception-v4 each also train with the other's optimizer, rate and epochs.",
	Goal: map[string]float64{"fashion-mnist": 0.85, "mnist": 0.97},
	Claims: []eval.Claim{
		{Text: "Inception v3 beats Inception-BN", Kind: eval.ClaimBetter, A: "inception-v3-mnist", B: "inception-bn-mnist"},
		{Text: "Inception-v4 beats Inception-BN", Kind: eval.ClaimBetter, A: "inception-v4-mnist", B: "inception-bn-mnist"},
		{Text: "Inception-ResNet-v2 beats Inception-BN", Kind: eval.ClaimBetter, A: "inception-resnet-v2-mnist", B: "inception-bn-mnist"},
		{Text: "residual connections speed up training: Inception-ResNet-v2 against Inception-v4, both with v4's recipe (LARS)",
			Kind: eval.ClaimFaster, A: "inception-resnet-v2-mnist-lars", B: "inception-v4-mnist"},
		{Text: "residual connections speed up training: Inception-ResNet-v2 against Inception-v4, both with Inception-ResNet-v2's recipe (Adam)",
			Kind: eval.ClaimFaster, A: "inception-resnet-v2-mnist", B: "inception-v4-mnist-adam"},
	},
	Curves: true,
	NoGain: true,
	Val:    10000,
	arms: func(reg *arch.Registry, o Options) ([]Arm, error) {
		var arms []Arm
		for _, name := range []string{"inception-bn-mnist", "inception-v3-mnist", "inception-v4-mnist", "inception-resnet-v2-mnist"} {
			a, err := versionArm(reg, name, o)
			if err != nil {
				return nil, err
			}
			arms = append(arms, a)
		}
		// The residual claim on one recipe at a time: each of the pair
		// also trains with the other's optimizer, rate and epochs.
		v4, resnet := arms[2], arms[3]
		return append(arms, withRecipe(resnet, v4, "-lars"), withRecipe(v4, resnet, "-adam")), nil
	},
})

// versionArm is an Inception version's preset with its recipe for the
// dataset; on Fashion-MNIST, where only Inception-BN has one, the MNIST
// recipe's optimizer, rate and epochs, with flips in place of shifts.
func versionArm(reg *arch.Registry, name string, o Options) (Arm, error) {
	spec, err := reg.Lookup(name)
	if err != nil {
		return Arm{}, err
	}
	if _, ok := spec.Recipe(o.dataset()); ok || o.dataset() != "fashion-mnist" {
		return presetArm(reg, name, o)
	}
	a, err := presetArm(reg, name, Options{Dataset: "mnist"})
	if err != nil {
		return a, err
	}
	a.Job.Dataset, a.Job.Data, a.Job.Shift, a.Job.Flip = o.dataset(), o.Data, 0, true
	return a, nil
}

// withRecipe is arm a trained with b's optimizer, schedule and epochs (its
// network, data and augmentation unchanged), named a's name and suffix.
func withRecipe(a, b Arm, suffix string) Arm {
	a.Name += suffix
	a.Job.Opt, a.Job.Schedule, a.Job.Epochs = b.Job.Opt, b.Job.Schedule, b.Job.Epochs
	return a
}
