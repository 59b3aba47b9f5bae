package arch

import (
	"sort"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// Config is what an architecture is built for.
type Config struct {
	// Input is channels, height, width of one image.
	Input [3]int
	// Classes is the number of outputs.
	Classes int
	// Width multiplies the channel counts of the blocks after the stem
	// (0 or 1: the published widths).
	Width float64
	// Aux adds the auxiliary classifiers of the Inception family to the
	// training loss (off by default).
	Aux bool
}

// W scales a channel count by Width (at least 1).
func (c Config) W(ch int) int { return scaleWidth(ch, c.Width) }

// Builder adds an architecture's layers to n, starting from the input x,
// and returns its logits (batch, classes).
type Builder func(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor

// Spec is a registered architecture.
type Spec struct {
	Name        string
	Description string
	// Default is the configuration of the published network.
	Default Config
	// Init is the weight initialiser the network is trained with, unless
	// the caller's graph.Config names one; InitDefault means Glorot uniform.
	Init  graph.Init
	Build Builder
	// Recipes are the recommended training jobs, one per dataset (see
	// Recipe); built-in presets get theirs from recipes.go.
	Recipes []Recipe
}

// Registry maps names to architectures. The zero value is empty and ready.
type Registry struct {
	specs map[string]Spec
}

// Register adds s; an empty name, a nil builder or a name already taken is
// an error.
func (r *Registry) Register(s Spec) error {
	if s.Name == "" || s.Build == nil {
		return errors.Errorf("arch: register %q: a spec needs a name and a builder", s.Name)
	}
	if s.Default.Classes <= 0 || s.Default.Input[0] <= 0 || s.Default.Input[1] <= 0 || s.Default.Input[2] <= 0 {
		return errors.Errorf("arch: register %q: default input %v and %d classes must be positive", s.Name, s.Default.Input, s.Default.Classes)
	}
	if r.specs == nil {
		r.specs = map[string]Spec{}
	}
	if _, dup := r.specs[s.Name]; dup {
		return errors.Errorf("arch: %q is registered already", s.Name)
	}
	r.specs[s.Name] = s
	return nil
}

// With returns a new registry holding r's architectures and specs; a name
// taken is an error, as for Register.
func (r *Registry) With(specs ...Spec) (*Registry, error) {
	out := &Registry{specs: make(map[string]Spec, len(r.specs)+len(specs))}
	for name, s := range r.specs {
		out.specs[name] = s
	}
	for _, s := range specs {
		if err := out.Register(s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Lookup returns the architecture called name.
func (r *Registry) Lookup(name string) (Spec, error) {
	s, ok := r.specs[name]
	if !ok {
		return Spec{}, errors.Errorf("unknown architecture %q (known: %v)", name, r.Names())
	}
	return s, nil
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.specs))
	for name := range r.specs {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Builtin returns a new registry holding every architecture of convnets.
func Builtin() *Registry {
	r := &Registry{specs: map[string]Spec{}}
	for _, s := range builtins() {
		s.Recipes = builtinRecipes[s.Name]
		r.specs[s.Name] = s // names are unique: TestBuiltinNamesUnique
	}
	return r
}

// builtins lists every built-in architecture.
func builtins() []Spec {
	var out []Spec
	for _, family := range [][]Spec{lenetSpecs(), alexnetSpecs(), vggSpecs(), ninSpecs(), googlenetSpecs(), inceptionBNSpecs(), inceptionV3Specs(), inceptionV4Specs(), resnetSpecs(), mobilenetSpecs()} {
		out = append(out, family...)
	}
	return out
}

// New builds s for c and returns the Net with its output set. Of opts, only
// Batch (0 for a cost summary), DType and Init (default: s.Init) are read;
// input and classes come from c.
func (s Spec) New(c Config, opts graph.Config) (*graph.Net, error) {
	gc := opts
	gc.Input, gc.Classes = c.Input, c.Classes
	if gc.Init == graph.InitDefault {
		gc.Init = s.Init
	}
	n, x := graph.New(gc)
	logits := s.Build(n, x, c)
	if err := n.SetOutput(logits); err != nil {
		return nil, errors.Wrapf(err, "arch %s at input %s", s.Name, graph.ShapeString(c.Input[:]))
	}
	n.SetRebuild(func(g graph.Config) (*graph.Net, error) { return s.New(c, g) })
	return n, nil
}

// ScalesWithWidth says whether the network follows Config.Width: whether
// its parameter count at twice its default width differs from the default
// one (LeNet-5 ignores the width). It builds two ledgers, no weights.
func (s Spec) ScalesWithWidth() (bool, error) {
	params := func(w float64) (int64, error) {
		c := s.Default
		c.Width = w
		n, err := s.New(c, graph.Config{})
		if err != nil {
			return 0, err
		}
		return graph.Sum(n.Ledger()).Params, nil
	}
	base := s.Default.Width
	if base == 0 {
		base = 1
	}
	a, err := params(base)
	if err != nil {
		return false, err
	}
	b, err := params(2 * base)
	return a != b, err
}
