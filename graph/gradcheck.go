package graph

import (
	"math"
	"math/rand/v2"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// CheckGradients checks the gradients of a layer (or any small network)
// against central finite differences in float64, as convnets checks each of
// its own: build adds the layers to a float64 Net of batch 3 and the given
// input and returns the output; the loss is a random weighting of the
// output, and every parameter and the input are moved off their initial
// values first so that each term of the gradient matters. It returns nil
// when every analytic derivative is within 1e-6 + 1e-5*|numeric| of the
// numeric one, else an error naming the first that is not.
func CheckGradients(input [3]int, build func(n *Net, x *Tensor) *Tensor) error {
	const batch = 3
	n, x := New(Config{Batch: batch, Input: input, Classes: 1, DType: tensor.Float64, InputGrad: true})
	out := build(n, x)
	if n.Err() != nil {
		return n.Err()
	}
	if !n.ok(out) {
		return errors.New("graph: gradient check: the build returned no output")
	}
	if err := n.Init(7); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, p := range n.Params() {
		for i, v := range p.Node.Value().Data().([]float64) {
			p.Node.Value().Data().([]float64)[i] = v + rng.Float64() - 0.5
		}
	}
	xs := x.Shape()
	if err := G.Let(x.node, tensor.New(tensor.WithShape(xs...), tensor.WithBacking(unitValues(rng, int(prod(xs)))))); err != nil {
		return err
	}
	if err := n.setMasks(true, rng); err != nil {
		return err
	}
	os := out.Shape()
	r := G.NewTensor(n.g, tensor.Float64, len(os), G.WithShape(os...), G.WithName("gradcheck/weights"),
		G.WithValue(tensor.New(tensor.WithShape(os...), tensor.WithBacking(unitValues(rng, int(prod(os)))))))
	weighted, err := G.HadamardProd(out.node, r)
	if err != nil {
		return err
	}
	loss, err := G.Sum(weighted)
	if err != nil {
		return err
	}
	var lossVal G.Value
	G.Read(loss, &lossVal)
	wrt := append(G.Nodes{x.node}, n.Learnables()...)
	if _, err := G.Grad(loss, wrt...); err != nil {
		return errors.Wrap(err, "graph: gradient check")
	}
	vm := G.NewTapeMachine(n.g, G.BindDualValues(wrt...))
	defer vm.Close()
	run := func() (float64, error) {
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			return 0, err
		}
		return lossVal.Data().(float64), nil
	}
	if _, err := run(); err != nil {
		return err
	}
	// Gradients accumulate across runs of a machine: copy them all first.
	analytics := make([][]float64, len(wrt))
	for i, node := range wrt {
		g, err := node.Grad()
		if err != nil {
			return err
		}
		analytics[i] = append([]float64(nil), g.Data().([]float64)...)
	}
	for k, node := range wrt {
		vals := node.Value().Data().([]float64)
		const h = 1e-5
		for i := range vals {
			orig := vals[i]
			vals[i] = orig + h
			up, err := run()
			if err != nil {
				return err
			}
			vals[i] = orig - h
			down, err := run()
			if err != nil {
				return err
			}
			vals[i] = orig
			numeric := (up - down) / (2 * h)
			if diff := math.Abs(numeric - analytics[k][i]); !(diff <= 1e-6+1e-5*math.Abs(numeric)) {
				return errors.Errorf("graph: gradient check: d loss / d %s[%d]: analytic %.9g, numeric %.9g", node.Name(), i, analytics[k][i], numeric)
			}
		}
	}
	return nil
}

// unitValues returns n values drawn uniformly from [-1, 1).
func unitValues(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	uniform(out, 1, rng)
	return out
}
