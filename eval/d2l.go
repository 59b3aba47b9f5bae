package eval

// D2L is a test accuracy that "Dive into Deep Learning" (d2l.ai) prints
// for one of the lecture's networks trained on Fashion-MNIST with its
// recipe (plain SGD, 10 epochs): a published reference, not a measurement
// of convnets.
type D2L struct {
	// Family is the d2l network the preset belongs to.
	Family string `json:"family"`
	// Section is the section of the 0.17 English edition.
	Section string `json:"section"`
	// Printed are the test accuracies printed by the two builds of that
	// edition's notebooks (0.17.0, and the later "classic" rebuild): the
	// book sets no seed, so each build prints other figures.
	Printed [2]float64 `json:"printed"`
	// Recipe is d2l's job in a few words.
	Recipe string `json:"recipe"`
}

// Best is the higher of the printed accuracies: the one a preset must
// beat.
func (d D2L) Best() float64 { return max(d.Printed[0], d.Printed[1]) }

// D2LSource says where the printed figures come from.
const D2LSource = "d2l.ai 0.17 (English, PyTorch): the saved outputs of the notebooks in github.com/d2l-ai/d2l-pytorch-sagemaker-studio-lab " +
	"(0.17.0 build) and github.com/d2l-ai/d2l-pytorch-sagemaker-classic (classic rebuild), train_ch6's last line \"test acc\""

var (
	d2lLeNet     = D2L{Family: "LeNet", Section: "6.6", Printed: [2]float64{0.776, 0.809}, Recipe: "SGD 0.9, batch 256, 10 epochs"}
	d2lAlexNet   = D2L{Family: "AlexNet", Section: "7.1", Printed: [2]float64{0.879, 0.884}, Recipe: "SGD 0.01, batch 128, 10 epochs, 224x224"}
	d2lVGG       = D2L{Family: "VGG-11 (1/4 width)", Section: "7.2", Printed: [2]float64{0.916, 0.916}, Recipe: "SGD 0.05, batch 128, 10 epochs, 224x224"}
	d2lNiN       = D2L{Family: "NiN", Section: "7.3", Printed: [2]float64{0.865, 0.867}, Recipe: "SGD 0.1, batch 128, 10 epochs, 224x224"}
	d2lGoogLeNet = D2L{Family: "GoogLeNet", Section: "7.4", Printed: [2]float64{0.888, 0.889}, Recipe: "SGD 0.1, batch 128, 10 epochs, 96x96"}
	d2lBNLeNet   = D2L{Family: "LeNet with batch norm (concise)", Section: "7.5", Printed: [2]float64{0.880, 0.838}, Recipe: "SGD 1.0, batch 256, 10 epochs"}
	// ResNet-18 at full width: chapter_convolutional-modern/resnet.ipynb,
	// studio-lab commit 20fd38a, classic commit a6ef14b.
	d2lResNet = D2L{Family: "ResNet-18", Section: "7.6", Printed: [2]float64{0.919, 0.865}, Recipe: "SGD 0.05, batch 256, 10 epochs, 96x96"}
)

// d2lFashion maps presets to their d2l family's printed Fashion-MNIST
// accuracy. Inception-BN has no d2l section: it is GoogLeNet's family; VGG
// with batch norm is VGG's; MobileNet has none.
var d2lFashion = map[string]D2L{
	"lenet5":             d2lLeNet,
	"lenet5-relu":        d2lLeNet,
	"lenet5-1998":        d2lLeNet,
	"lenet5-bn":          d2lBNLeNet,
	"alexnet-mnist":      d2lAlexNet,
	"vgg11-mnist":        d2lVGG,
	"vgg11-bn-mnist":     d2lVGG,
	"nin-mnist":          d2lNiN,
	"googlenet-mnist":    d2lGoogLeNet,
	"inception-bn-mnist": d2lGoogLeNet,
	"resnet18-mnist":     d2lResNet,
}

// D2LFashion returns d2l's printed Fashion-MNIST accuracy for the family
// of the preset, if it has one.
func D2LFashion(preset string) (D2L, bool) {
	d, ok := d2lFashion[preset]
	return d, ok
}
