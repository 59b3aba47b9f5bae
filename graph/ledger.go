package graph

import (
	"fmt"
	"strings"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
)

// Kind names a layer kind in the ledger.
type Kind string

// The layer kinds. Each has a cost rule (see Kinds); a kind without one is a
// build error.
const (
	KindConv      Kind = "conv"
	KindDense     Kind = "dense"
	KindReLU      Kind = "relu"
	KindSigmoid   Kind = "sigmoid"
	KindTanh      Kind = "tanh"
	KindMaxPool   Kind = "maxpool"
	KindAvgPool   Kind = "avgpool"
	KindGAP       Kind = "globalavgpool"
	KindBatchNorm Kind = "batchnorm"
	KindDropout   Kind = "dropout"
	KindFlatten   Kind = "flatten"
	KindConcat    Kind = "concat"
	KindAdd       Kind = "add"
	// LeNet-5 (1998) only:
	KindSelect     Kind = "select"
	KindScale      Kind = "scale"
	KindScaledTanh Kind = "scaledtanh"
	KindRBF        Kind = "rbf"

	KindReLU6       Kind = "relu6"
	KindLeakyReLU   Kind = "leakyrelu"
	KindSiLU        Kind = "silu"
	KindHardSigmoid Kind = "hardsigmoid"
	KindHardSwish   Kind = "hardswish"
	KindMul         Kind = "mul"
	KindSub         Kind = "sub"
)

// Kinds maps each layer kind to its cost rule for the Other column: the
// work per image that is not a multiply-accumulate of a convolution or a
// dense layer. MACs of conv and dense layers are computed where the layer is
// built.
var Kinds = map[Kind]string{
	KindConv:        "MACs Kh*Kw*(Cin/groups)*Cout*Hout*Wout; other: one bias add per output element",
	KindDense:       "MACs in*out; other: one bias add per output",
	KindReLU:        "other: one op per element",
	KindSigmoid:     "other: one op per element",
	KindTanh:        "other: one op per element",
	KindMaxPool:     "other: Kh*Kw comparisons per output element",
	KindAvgPool:     "other: Kh*Kw additions per output element",
	KindGAP:         "other: one addition per input element",
	KindBatchNorm:   "other: a scale and a shift per element (inference form)",
	KindDropout:     "other: one multiplication per element",
	KindFlatten:     "other: none, a reshape moves no data",
	KindConcat:      "other: none, counted as a copy of no arithmetic",
	KindAdd:         "other: one addition per element (and one multiplication when scaled)",
	KindSelect:      "other: none, a copy of channels",
	KindScale:       "other: a multiplication and an addition per element",
	KindScaledTanh:  "other: one op per element",
	KindRBF:         "other: a subtraction, a square and an addition per input and unit (no MACs: not a conv or dense layer)",
	KindReLU6:       "other: one op per element",
	KindLeakyReLU:   "other: one op per element",
	KindSiLU:        "other: one op per element",
	KindHardSigmoid: "other: one op per element",
	KindHardSwish:   "other: one op per element",
	KindMul:         "other: one multiplication per output element",
	KindSub:         "other: one subtraction per element",
	KindCustom:      "MACs and other: as the layer's author gives them (graph.Custom)",
}

// Layer is one row of the cost ledger. Counts are per image.
type Layer struct {
	Name     string `json:"name"`
	Kind     Kind   `json:"kind"`
	OutShape []int  `json:"out_shape"`
	// Params counts trainable parameters (PyTorch's numel convention).
	Params int64 `json:"params"`
	// NonTrainable counts fixed tensors such as batch-norm running statistics.
	NonTrainable int64 `json:"non_trainable"`
	// MACs counts the multiply-accumulates of convolutions and dense layers.
	MACs int64 `json:"macs"`
	// Other counts the work of pooling, activations, batch norm and additions.
	Other int64 `json:"other_ops"`
	// StageName is the stage the layer belongs to: the one set by
	// Net.SetStage when it was added, else the first part of its name.
	StageName string `json:"stage"`
	// Inputs names the layers (or "input") whose outputs this layer reads,
	// found by walking the graph back from its output.
	Inputs []string `json:"inputs,omitempty"`
	// Detail describes a conv's or pool's window: "3x3/2 pad 1".
	Detail string `json:"detail,omitempty"`
	// Window is a conv's or pool's window as numbers: kernel height and
	// width, strides, paddings and groups (for exporters).
	Window []int `json:"window,omitempty"`
	// Dilation is a dilated conv's spacing of kernel taps, height and
	// width (absent: 1, 1).
	Dilation []int `json:"dilation,omitempty"`
	// Scalar is the number a layer's kind takes: a leaky ReLU's slope, a
	// scaled addition's scale (0: none).
	Scalar float64 `json:"scalar,omitempty"`
	// Indices are the input channels a channel selection takes, in order.
	Indices []int `json:"indices,omitempty"`
}

// Stage returns the layer's stage ("inception3a" for
// "inception3a/branch2/conv3x3" unless the builder named another).
func (l Layer) Stage() string {
	if l.StageName != "" {
		return l.StageName
	}
	stage, _, _ := strings.Cut(l.Name, "/")
	return stage
}

// SetStage puts the layers added from now on into the named stage (such as
// GoogLeNet's b1 ... b5, the lecture's five stages); "" goes back to
// grouping by the first part of each name. Names are not changed.
func (n *Net) SetStage(name string) { n.stage = name }

// Totals adds up a ledger.
type Totals struct {
	Params       int64 `json:"params"`
	NonTrainable int64 `json:"non_trainable"`
	MACs         int64 `json:"macs"`
	Other        int64 `json:"other_ops"`
}

// StepFLOPs is the arithmetic of one training step per image over rows:
// for every conv and dense layer, 2 FLOPs per MAC for the forward pass, as
// many for the weight gradient and as many for the input gradient, except
// that convs reading the network's input skip the last (nobody needs the
// gradient of the images).
func StepFLOPs(rows []Layer) int64 {
	var f int64
	for _, r := range rows {
		passes := int64(3)
		if r.Kind == KindConv && len(r.Inputs) == 1 && r.Inputs[0] == "input" {
			passes = 2
		}
		f += 2 * passes * r.MACs
	}
	return f
}

// Sum returns the totals of rows.
func Sum(rows []Layer) Totals {
	var t Totals
	for _, r := range rows {
		t.Params += r.Params
		t.NonTrainable += r.NonTrainable
		t.MACs += r.MACs
		t.Other += r.Other
	}
	return t
}

// Ledger returns a copy of the rows recorded so far, in build order.
func (n *Net) Ledger() []Layer {
	out := make([]Layer, len(n.ledger))
	copy(out, n.ledger)
	return out
}

// record appends a row for the layer that produced t (its shape without the
// batch axis).
func (n *Net) record(t *Tensor, kind Kind, params, nonTrainable, macs, other int64) *Tensor {
	if t.node == nil {
		return t
	}
	if _, ok := Kinds[kind]; !ok {
		return n.fail(errors.Errorf("graph: layer %s: kind %q has no cost rule", t.name, kind))
	}
	shape := t.Shape()[1:]
	row := Layer{Name: t.name, Kind: kind, OutShape: shape, Params: params, NonTrainable: nonTrainable, MACs: macs, Other: other,
		StageName: n.stage}
	if row.StageName == "" {
		row.StageName = row.Stage()
	}
	row.Inputs = n.layerInputs(t.node)
	n.producers[t.node.ID()] = t.name
	n.ledger = append(n.ledger, row)
	return t
}

// layerInputs walks back from node through the ops a layer is made of
// until it meets the outputs of earlier layers (or the network's input),
// and returns their names in the order met.
func (n *Net) layerInputs(node *G.Node) []string {
	if name, ok := n.producers[node.ID()]; ok { // a layer that passes its input on (a one-way concat)
		return []string{name}
	}
	var out []string
	seen := map[int64]bool{node.ID(): true}
	var walk func(id int64)
	walk = func(id int64) {
		children := n.g.From(id)
		for children.Next() {
			c := children.Node().ID()
			if seen[c] {
				continue
			}
			seen[c] = true
			if name, ok := n.producers[c]; ok {
				out = append(out, name)
				continue
			}
			walk(c)
		}
	}
	walk(node.ID())
	return out
}

// setDetail describes the window of the layer recorded last.
func (n *Net) setDetail(t *Tensor, kh, kw, sh, sw, ph, pw, groups int) *Tensor {
	if t.node == nil || len(n.ledger) == 0 {
		return t
	}
	d := fmt.Sprintf("%dx%d", kh, kw)
	if sh != 1 || sw != 1 {
		if sh == sw {
			d += fmt.Sprintf("/%d", sh)
		} else {
			d += fmt.Sprintf("/%dx%d", sh, sw)
		}
	}
	if ph != 0 || pw != 0 {
		if ph == pw {
			d += fmt.Sprintf(" pad %d", ph)
		} else {
			d += fmt.Sprintf(" pad %dx%d", ph, pw)
		}
	}
	if groups > 1 {
		d += fmt.Sprintf(" groups %d", groups)
	}
	n.ledger[len(n.ledger)-1].Detail = d
	n.ledger[len(n.ledger)-1].Window = []int{kh, kw, sh, sw, ph, pw, groups}
	return t
}

// setDilation adds a dilation other than 1 to the layer recorded last.
func (n *Net) setDilation(t *Tensor, dh, dw int) *Tensor {
	if t.node == nil || len(n.ledger) == 0 || (dh == 1 && dw == 1) {
		return t
	}
	l := &n.ledger[len(n.ledger)-1]
	if dh == dw {
		l.Detail += fmt.Sprintf(" dilation %d", dh)
	} else {
		l.Detail += fmt.Sprintf(" dilation %dx%d", dh, dw)
	}
	l.Dilation = []int{dh, dw}
	return t
}

// elems is the number of elements of t per image.
func (t *Tensor) elems() int64 { return prod(t.Shape()[1:]) }

// setScalar records the number of the last layer's kind (see Layer.Scalar).
func (n *Net) setScalar(t *Tensor, v float64) *Tensor {
	if t.node != nil && len(n.ledger) > 0 {
		n.ledger[len(n.ledger)-1].Scalar = v
	}
	return t
}
