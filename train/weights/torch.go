package weights

import (
	"fmt"
	"sort"
	"strings"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// TorchName is the PyTorch state_dict name of a convnets state tensor:
// "inception3a/branch1/weight" becomes "inception3a.branch1.weight".
func TorchName(name string) string { return strings.ReplaceAll(name, "/", ".") }

// torchLayout says how one state tensor is laid out in PyTorch.
type torchLayout struct {
	name      string
	shape     []int
	transpose bool // a 2-D (in, out) tensor stored as [out, in]
}

// torchLayouts maps the Net's state (graph.Net.State order) to PyTorch's
// layout: conv weights stay [out, in, kh, kw]; dense weights (and the RBF
// prototypes of LeNet-5 1998) are transposed to [out, in]; biases, batch-norm
// weight, bias, running_mean and running_var and the subsampling
// coefficients become vectors.
func torchLayouts(n *graph.Net, state []Tensor) []torchLayout {
	kinds := map[string]graph.Kind{}
	for _, l := range n.Ledger() {
		kinds[l.Name] = l.Kind
	}
	out := make([]torchLayout, len(state))
	for i, t := range state {
		layer, part := t.Name, ""
		if j := strings.LastIndex(t.Name, "/"); j >= 0 {
			layer, part = t.Name[:j], t.Name[j+1:]
		}
		kind := kinds[layer]
		l := torchLayout{name: TorchName(t.Name)}
		switch {
		case len(t.Shape) == 2 && ((kind == graph.KindDense && part == "weight") || (kind == graph.KindRBF && part == "prototypes")):
			l.shape, l.transpose = []int{t.Shape[1], t.Shape[0]}, true
		case kind == graph.KindConv && part == "weight":
			l.shape = append([]int{}, t.Shape...)
		default:
			l.shape = []int{int(prodInts(t.Shape))}
		}
		out[i] = l
	}
	return out
}

// TorchState returns the Net's state named and laid out as PyTorch's
// state_dict would hold it for the same layers (see torchLayouts).
func TorchState(n *graph.Net) ([]Tensor, error) {
	state, err := NetTensors(n)
	if err != nil {
		return nil, err
	}
	out := make([]Tensor, len(state))
	for i, l := range torchLayouts(n, state) {
		data := state[i].Data
		if l.transpose {
			data = transpose(data, state[i].Shape[0], state[i].Shape[1])
		} else {
			data = append([]float32(nil), data...)
		}
		out[i] = Tensor{Name: l.name, Shape: l.shape, Data: data}
	}
	return out, nil
}

// LoadTorchState copies tensors named and laid out as TorchState gives
// them into the Net. Like PyTorch's load_state_dict(strict=True), every
// tensor of the Net must be there with its shape, and no other; path
// names the file in errors.
func LoadTorchState(n *graph.Net, tensors []Tensor, path string) error {
	state, err := NetTensors(n)
	if err != nil {
		return err
	}
	byName := make(map[string]*Tensor, len(tensors))
	for i := range tensors {
		byName[tensors[i].Name] = &tensors[i]
	}
	layouts := torchLayouts(n, state)
	for i, l := range layouts {
		src, ok := byName[l.name]
		if !ok {
			return errors.Errorf("%s: no tensor %s (the network has %d tensors, starting %s)", path, l.name, len(layouts), layouts[0].name)
		}
		if !sameShape(src.Shape, l.shape) {
			return errors.Errorf("%s: tensor %s has shape %v, the network wants %v", path, l.name, src.Shape, l.shape)
		}
		delete(byName, l.name)
		if l.transpose {
			copy(state[i].Data, transpose(src.Data, l.shape[0], l.shape[1]))
		} else {
			copy(state[i].Data, src.Data)
		}
	}
	if len(byName) > 0 {
		extra := make([]string, 0, len(byName))
		for name := range byName {
			extra = append(extra, name)
		}
		sort.Strings(extra)
		return errors.Errorf("%s: tensor %s is not part of the network (%s)", path, extra[0], plural(len(extra), "unexpected tensor"))
	}
	return nil
}

// transpose returns the r x c matrix m as c x r.
func transpose(m []float32, r, c int) []float32 {
	out := make([]float32, len(m))
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out[j*r+i] = m[i*c+j]
		}
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
