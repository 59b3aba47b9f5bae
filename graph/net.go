package graph

import (
	"fmt"
	"strings"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Config describes the input a Net is built for.
type Config struct {
	// Batch is the number of images per step; the graph's shapes are static.
	// Zero means 1 (enough for a cost summary).
	Batch int
	// Input is the shape of one image: channels, height, width.
	Input [3]int
	// Classes is the number of outputs of the classifier.
	Classes int
	// DType is tensor.Float32 or tensor.Float64; the zero value means Float32.
	DType tensor.Dtype
	// Init is the initialiser of weights whose layer names none;
	// InitDefault (the zero value) means GlorotUniform.
	Init Init
	// InputGrad keeps the gradient with respect to the input images (for
	// gradient checks); without it the first convolutions skip that third
	// of their backward pass, which training never uses.
	InputGrad bool
}

// Net is a network under construction and, once built, the owner of its
// graph, parameters, ledger and mode. It is not safe for concurrent use.
type Net struct {
	cfg    Config
	dt     tensor.Dtype
	g      *G.ExprGraph
	input  *Tensor
	labels *G.Node
	params []*Param
	byName map[string]bool
	ledger []Layer
	// producers maps the output node of each layer (and the input) to its name.
	producers map[int64]string
	// scratch is the working space of the Net's conv ops.
	scratch *convScratch
	// team is how many goroutines its ops use (SetThreads).
	team *team
	// colsLeft is what is left of colBudget for kept columns; colCaches
	// are the convolutions' caches that took a share.
	colsLeft  int64
	colCaches []*colCache
	bns       []*batchNorm
	fixed     []fixedTensor
	drops     []*dropout
	logits    *Tensor
	aux       []auxOutput
	stage     string
	loss      *G.Node
	err       error
	initted   bool
	// compiled is set by the first compile, which adds the gradient's
	// nodes to the graph: a Net compiles once.
	compiled bool
	// rebuild builds the same network for another config (the batch of a
	// replica); nil when the Net was not built by a known builder.
	rebuild func(Config) (*Net, error)
}

// Tensor is a node of the graph as seen by the layers: its value has shape
// (batch, ...). The zero value is never handed out; a Tensor made after an
// error carries no node.
type Tensor struct {
	net  *Net
	node *G.Node
	name string
}

// New starts a Net for cfg and returns it with its input tensor, shaped
// (Batch, C, H, W).
func New(cfg Config) (*Net, *Tensor) {
	if cfg.Batch == 0 {
		cfg.Batch = 1
	}
	if cfg.DType.Type == nil {
		cfg.DType = tensor.Float32
	}
	if cfg.Init == InitDefault {
		cfg.Init = GlorotUniform
	}
	n := &Net{cfg: cfg, dt: cfg.DType, g: G.NewGraph(), byName: map[string]bool{}, producers: map[int64]string{}, scratch: &convScratch{}, team: &team{}, colsLeft: colBudget}
	switch {
	case cfg.DType != tensor.Float32 && cfg.DType != tensor.Float64:
		n.err = errors.Errorf("graph: dtype %v: only float32 and float64 are supported", cfg.DType)
	case cfg.Batch < 0:
		n.err = errors.Errorf("graph: batch %d: must be positive", cfg.Batch)
	case cfg.Input[0] <= 0 || cfg.Input[1] <= 0 || cfg.Input[2] <= 0:
		n.err = errors.Errorf("graph: input %s: every dimension must be positive", ShapeString(cfg.Input[:]))
	case cfg.Classes <= 0:
		n.err = errors.Errorf("graph: %d classes: must be positive", cfg.Classes)
	}
	if n.err != nil {
		return n, &Tensor{net: n}
	}
	x := G.NewTensor(n.g, n.dt, 4, G.WithShape(cfg.Batch, cfg.Input[0], cfg.Input[1], cfg.Input[2]), G.WithName("input"))
	n.input = &Tensor{net: n, node: x, name: "input"}
	n.producers[x.ID()] = "input"
	return n, n.input
}

// SetThreads sets how many goroutines the Net's ops use: 0 (the default)
// for every core, fewer when several Nets run side by side. Results are
// the same, bit for bit, for any number.
func (n *Net) SetThreads(threads int) { n.team.n = max(0, threads) }

// SetRebuild records how to build this network again for another config,
// which data-parallel replicas (CompileReplicas) need; arch's builders set
// it.
func (n *Net) SetRebuild(f func(Config) (*Net, error)) { n.rebuild = f }

// HasBatchNorm says whether the Net has a batch norm layer.
func (n *Net) HasBatchNorm() bool { return len(n.bns) > 0 }

// Config returns the configuration the Net was built for.
func (n *Net) Config() Config { return n.cfg }

// Err returns the first error met while building, or nil.
func (n *Net) Err() error { return n.err }

// Graph returns the underlying Gorgonia graph.
func (n *Net) Graph() *G.ExprGraph { return n.g }

// Input returns the input tensor (Batch, C, H, W).
func (n *Net) Input() *Tensor { return n.input }

// Logits returns the tensor passed to SetOutput, or nil.
func (n *Net) Logits() *Tensor { return n.logits }

// Loss returns the mean cross-entropy node built by SetOutput, or nil.
func (n *Net) Loss() *G.Node { return n.loss }

// skipsInputGrad says whether an op reading x may leave out the gradient
// with respect to x: x is the network's input and Config.InputGrad is off.
func (n *Net) skipsInputGrad(x *G.Node) bool { return x == n.input.node && !n.cfg.InputGrad }

// fail records err (the first one wins) and returns a Tensor without a node.
func (n *Net) fail(err error) *Tensor {
	if n.err == nil {
		n.err = err
	}
	return &Tensor{net: n}
}

// ok reports whether building may go on with the given inputs.
func (n *Net) ok(xs ...*Tensor) bool {
	if n.err != nil {
		return false
	}
	for _, x := range xs {
		if x == nil || x.node == nil {
			n.fail(errors.New("graph: a layer was given a nil tensor"))
			return false
		}
		if x.net != n {
			n.fail(errors.New("graph: a layer was given a tensor of another Net"))
			return false
		}
	}
	return true
}

// claim reserves a layer name, rejecting empty and duplicate ones.
func (n *Net) claim(name string) bool {
	if n.err != nil {
		return false
	}
	if err := checkName(name); err != nil {
		n.fail(err)
		return false
	}
	if n.byName[name] {
		n.fail(errors.Errorf("graph: layer name %q used twice", name))
		return false
	}
	n.byName[name] = true
	return true
}

// wrap returns a Tensor for node, or records err.
func (n *Net) wrap(name string, node *G.Node, err error) *Tensor {
	if err != nil {
		return n.fail(errors.Wrapf(err, "graph: layer %s", name))
	}
	return &Tensor{net: n, node: node, name: name}
}

// Node returns the Gorgonia node (nil after a build error).
func (t *Tensor) Node() *G.Node { return t.node }

// Name returns the name of the layer that produced t.
func (t *Tensor) Name() string { return t.name }

// Shape returns the shape of t, batch first (nil after a build error).
func (t *Tensor) Shape() []int {
	if t.node == nil {
		return nil
	}
	return []int(t.node.Shape().Clone())
}

// ShapeString formats a shape as "6x28x28".
func ShapeString(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return strings.Join(parts, "x")
}

// prod multiplies the dimensions of s.
func prod(s []int) int64 {
	p := int64(1)
	for _, d := range s {
		p *= int64(d)
	}
	return p
}

// validNameRune says whether r may appear in a part of a layer name.
func validNameRune(r rune) bool {
	return r == '/' || r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// checkName checks a layer name: parts of letters, digits, '_' and '-'
// joined by '/'. Exported names join the parts with dots (PyTorch's
// state_dict): a dot or a space inside a part would break them.
func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") || strings.Contains(name, "//") {
		return errors.Errorf("graph: layer name %q: want parts joined by '/'", name)
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return !validNameRune(r) }); i >= 0 {
		return errors.Errorf("graph: layer name %q: %q is not allowed (letters, digits, '_' and '-', parts joined by '/')", name, name[i:i+1])
	}
	return nil
}
