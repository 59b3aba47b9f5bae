package arch

// The built-in presets' recipes, by preset and dataset. MNIST's are the
// jobs of the README's results: Adam 0.001 with a cosine decay, batch 64
// and 1-pixel shifts, except where selection runs on held-out training
// images found another optimizer better (the README gives those runs).

// fashionWhy is how the Fashion-MNIST recipes were chosen (the README
// gives the selection runs).
const fashionWhy = "on validation (-val 10000, the other 50,000 images for training): flips beat no augmentation and flips with " +
	"2-pixel crops (lenet5-relu, 20 epochs: 90.97% vs 90.77% and 90.50%), and flips are every preset's augmentation from that one " +
	"selection (vgg11-mnist, selected on its own, adds crops); " +
	"the optimizer is the MNIST recipe's; epochs fit the hour"

// vggFashionWhy is how vgg11-mnist's Fashion-MNIST recipe was chosen.
const vggFashionWhy = "augmentation on validation (-val 10000, 30 epochs at 1/8 width): flips with 2-pixel crops 91.98% against " +
	"flips alone 91.44% at best (98% on the training images: flips alone overfit); width 1/4 (d2l's VGG width), fixed before " +
	"the run: at 1/8 width 60 epochs ended at 94.15% on the training images (it underfits); the optimizer is the MNIST " +
	"recipe's; 30 epochs fit the hour at 1/4 width"

// vggBNFashionWhy is how vgg11-bn-mnist's Fashion-MNIST recipe was chosen.
const vggBNFashionWhy = "fixed before the run, not selected: vgg11-mnist's width and augmentation; SGD 0.05 with momentum as " +
	"inception-bn-mnist's selection found for batch norm; weight decay 5e-4 as the usual SGD recipe for VGG with batch norm " +
	"(lr 0.1 at batch 128); 30 epochs fit the hour"

// adamFashion is the Fashion-MNIST recipe of the presets that train with
// Adam on MNIST: flips, no shift.
func adamFashion(epochs int) Recipe {
	return Recipe{Dataset: "fashion-mnist", Opt: "adam", LR: 1e-3, Schedule: "cosine", Epochs: epochs, Batch: 64, Flip: true, Why: fashionWhy}
}

// adamMNIST is the MNIST recipe of the shallow presets, for epochs epochs.
func adamMNIST(epochs int, why string) Recipe {
	return Recipe{Dataset: "mnist", Opt: "adam", LR: 1e-3, Schedule: "cosine", Epochs: epochs, Batch: 64, Shift: 1, Why: why}
}

var builtinRecipes = map[string][]Recipe{
	"lenet5": {
		adamMNIST(8, "the default job; 1-pixel shifts beat 2 on validation (99.16% vs 99.05% for lenet5-relu)"),
		adamFashion(20),
	},
	"lenet5-relu": {
		adamMNIST(8, "the default job; 1-pixel shifts beat 2 on validation (99.16% vs 99.05%, -val 10000)"),
		adamFashion(20),
	},
	"lenet5-bn": {
		adamMNIST(5, "Adam 0.001 as the other shallow presets; 5 epochs fixed before the run"),
		adamFashion(20),
	},
	"lenet5-1998": {
		{Dataset: "mnist", Opt: "sgd", LR: 1e-3, Momentum: 0.9, Schedule: "cosine", Epochs: 20, Batch: 64, Shift: 1, Val: 10000,
			Why: "the paper's 20 passes; Adam stalls near 91% on validation, LARS diverged or drifted in full runs"},
	},
	"alexnet-mnist": {
		adamMNIST(5, "Adam 0.001 as the other shallow presets; 5 epochs fixed before the run"),
		adamFashion(15),
	},
	"vgg11-mnist": {
		adamMNIST(5, "Adam 0.001 as the other shallow presets; 5 epochs fixed before the run"),
		{Dataset: "fashion-mnist", Width: 0.25, Opt: "adam", LR: 1e-3, Schedule: "cosine", Epochs: 30, Batch: 64, CropPad: 2, Flip: true,
			Why: vggFashionWhy},
	},
	"vgg11-bn-mnist": {
		{Dataset: "mnist", Opt: "sgd", LR: 0.05, Momentum: 0.9, Schedule: "cosine", Epochs: 5, Batch: 64, Shift: 1,
			Why: "inception-bn-mnist's optimizer (selected on validation for batch norm); 5 epochs fixed before the run"},
		{Dataset: "fashion-mnist", Width: 0.25, Opt: "sgd", LR: 0.05, Momentum: 0.9, WeightDecay: 5e-4, Schedule: "cosine", Epochs: 30,
			Batch: 64, CropPad: 2, Flip: true, Why: vggBNFashionWhy},
	},
	"resnet18-mnist": {
		{Dataset: "mnist", Opt: "sgd", LR: 0.05, Momentum: 0.9, Schedule: "cosine", Epochs: 5, Batch: 64, Shift: 1,
			Why: "inception-bn-mnist's optimizer (selected on validation for batch norm); 5 epochs fixed before the run"},
		{Dataset: "fashion-mnist", Opt: "sgd", LR: 0.05, Momentum: 0.9, WeightDecay: 5e-4, Schedule: "cosine", Epochs: 30, Batch: 64,
			CropPad: 2, Flip: true, Why: "fixed before the run, not selected: vgg11-bn-mnist's recipe; 30 epochs fit the hour"},
	},
	"mobilenet-v2-mnist": {
		{Dataset: "mnist", Opt: "sgd", LR: 0.05, Momentum: 0.9, Schedule: "cosine", Epochs: 3, Batch: 64, Shift: 1,
			Why: "inception-bn-mnist's optimizer (selected on validation for batch norm); 3 epochs fixed before the run"},
		{Dataset: "fashion-mnist", Opt: "sgd", LR: 0.05, Momentum: 0.9, WeightDecay: 4e-5, Schedule: "cosine", Epochs: 10, Batch: 64,
			CropPad: 2, Flip: true, Why: "fixed before the run, not selected: SGD 0.05 with momentum as for the other batch-norm presets, " +
				"MobileNet's weight decay 4e-5 (Sandler et al. 2018), vgg11-mnist's augmentation; 10 epochs fit the hour"},
	},
	"nin-mnist": {
		adamMNIST(4, "Adam 0.001 as the other shallow presets; 4 epochs fixed before the run"),
		adamFashion(10),
	},
	"googlenet-mnist": {
		adamMNIST(3, "Adam 0.001 as the other shallow presets; 3 epochs fixed before the run"),
		adamFashion(10),
	},
	"inception-bn-mnist": {
		{Dataset: "mnist", Opt: "sgd", LR: 0.05, Momentum: 0.9, Schedule: "cosine", Epochs: 5, Batch: 64, Shift: 1, Val: 10000,
			Why: "200-step selection runs on validation: SGD 0.05 94.90%, SGD 0.1 93.55%, Adam 0.001 70.35%"},
		{Dataset: "fashion-mnist", Opt: "sgd", LR: 0.05, Momentum: 0.9, Schedule: "cosine", Epochs: 10, Batch: 64, Flip: true, Why: fashionWhy},
	},
	"inception-v3-mnist": {
		{Dataset: "mnist", Opt: "lars", LR: 5, Momentum: 0.9, Trust: 0.001, Schedule: "cosine", Epochs: 6, Batch: 64, Shift: 1, Val: 10000,
			Why: "200-step selection runs on validation: LARS 5 94.35%, LARS 10 92.55%, SGD 0.01 87.70%, Adam 31.05%"},
	},
	"inception-v4-mnist": {
		{Dataset: "mnist", Opt: "lars", LR: 5, Momentum: 0.9, Trust: 0.001, Schedule: "cosine", Epochs: 10, Batch: 64, Shift: 1, Val: 10000,
			Why: "200-step selection runs on validation: LARS 5 76.95%, LARS 2 64.15%, LARS 10 66.15%, SGD 0.1 42.00%, Adam 12.80%"},
	},
	"inception-resnet-v2-mnist": {
		adamMNIST(4, "Adam 0.001: the residual connections carry the gradient past the deep stacks; 4 epochs fixed before the run"),
	},
}
