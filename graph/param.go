package graph

import (
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Init names a parameter initialiser.
type Init int

// The initialisers. Fan-in and fan-out are those of PyTorch: for a conv
// weight (out, in, kh, kw), fan_in = in*kh*kw and fan_out = out*kh*kw.
const (
	InitDefault   Init = iota // the Net's default: Config.Init, or GlorotUniform
	GlorotUniform             // U(-a, a), a = sqrt(6/(fan_in+fan_out)); Keras' default
	HeNormal                  // N(0, 2/fan_in); for ReLU networks
	HeUniform                 // U(-a, a), a = sqrt(6/fan_in)
	Zeros
	Ones
)

// MaxParams bounds the trainable values Init allocates (4 GiB of float32):
// a width or size typed wrong is refused before memory is.
const MaxParams = 1 << 30

// Param is a trainable tensor of the Net.
type Param struct {
	Name   string
	Shape  []int
	Node   *G.Node
	Init   Init
	FanIn  int
	FanOut int
	// custom is the layer a Param call made it for (empty for the
	// built-in layers' own).
	custom string
}

// Size returns the number of elements of p.
func (p *Param) Size() int64 { return prod(p.Shape) }

// Params returns the trainable parameters in the order they were created.
// It is the one source of the learnable list.
func (n *Net) Params() []*Param {
	out := make([]*Param, len(n.params))
	copy(out, n.params)
	return out
}

// Learnables returns the nodes of Params, in the same order.
func (n *Net) Learnables() G.Nodes {
	out := make(G.Nodes, len(n.params))
	for i, p := range n.params {
		out[i] = p.Node
	}
	return out
}

// param creates the trainable tensor layer/part. No value is allocated until
// Init.
func (n *Net) param(layer, part string, shape []int, init Init, fanIn, fanOut int) *G.Node {
	name := layer + "/" + part
	for _, p := range n.params {
		if p.Name == name {
			// Two tensors of one name would make checkpoints and exported
			// weights ambiguous (a Param call and a layer of that name).
			n.fail(errors.Errorf("graph: parameter %s created twice", name))
			break
		}
	}
	node := G.NewTensor(n.g, n.dt, len(shape), G.WithShape(shape...), G.WithName(name))
	n.params = append(n.params, &Param{Name: name, Shape: append([]int(nil), shape...), Node: node,
		Init: init, FanIn: fanIn, FanOut: fanOut})
	return node
}

// Init allocates every parameter and draws it from seed. Each parameter has
// its own stream, keyed by its name, so adding a layer changes no other
// layer's initial weights. Batch-norm running statistics are reset to mean 0
// and variance 1. Init may be called again to start over.
func (n *Net) Init(seed uint64) error {
	if n.err != nil {
		return n.err
	}
	var total int64
	for _, p := range n.params {
		total += p.Size()
	}
	if total > MaxParams {
		return errors.Errorf("graph: init: %d parameters, more than the %d convnets allocates", total, int64(MaxParams))
	}
	for _, p := range n.params {
		h := fnv.New64a()
		h.Write([]byte(p.Name))
		rng := rand.New(rand.NewPCG(seed, h.Sum64()))
		vals := make([]float64, p.Size())
		fill(vals, p, rng)
		var backing any
		if n.dt == tensor.Float64 {
			backing = vals
		} else {
			f := make([]float32, len(vals))
			for i, v := range vals {
				f[i] = float32(v)
			}
			backing = f
		}
		t := tensor.New(tensor.WithShape(p.Shape...), tensor.WithBacking(backing))
		if err := G.Let(p.Node, t); err != nil {
			return errors.Wrapf(err, "graph: init %s", p.Name)
		}
	}
	for _, b := range n.bns {
		if err := b.op.Reset(); err != nil {
			return errors.Wrapf(err, "graph: init %s", b.name)
		}
	}
	n.initted = true
	return nil
}

func fill(vals []float64, p *Param, rng *rand.Rand) {
	switch p.Init {
	case Zeros:
	case Ones:
		for i := range vals {
			vals[i] = 1
		}
	case HeNormal:
		std := math.Sqrt(2 / float64(p.FanIn))
		for i := range vals {
			vals[i] = rng.NormFloat64() * std
		}
	case HeUniform:
		uniform(vals, math.Sqrt(6/float64(p.FanIn)), rng)
	default:
		uniform(vals, math.Sqrt(6/float64(p.FanIn+p.FanOut)), rng)
	}
}

func uniform(vals []float64, a float64, rng *rand.Rand) {
	for i := range vals {
		vals[i] = (2*rng.Float64() - 1) * a
	}
}
