package graph

import (
	"fmt"
	"math/rand/v2"
	"runtime/debug"

	"github.com/convnets/convnets/internal/workers"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Program is a Net compiled for running: a training machine (forward and
// backward) and a forward-only evaluation machine on the same graph,
// compiled once. Inputs are written into fixed buffers (Input, SetLabels),
// so a step allocates no new input tensors. Programs run float32 Nets.
type Program struct {
	net   *Net
	train G.VM // nil when replicas train
	eval  G.VM // nil in a replica
	x     *tensor.Dense
	y     *tensor.Dense
	out   *readouts
	rep   *replicas // data-parallel training, or nil
}

// readouts are where the machines leave the loss and the logits. They are
// apart from the Program on purpose: the graph's read ops point at them,
// and a graph that pointed back at the Program would close a cycle
// through its machines, which Gorgonia gives finalizers, and Go never
// collects a cycle with a finalizer in it (every Net compiled in a process
// stayed in memory: a study of 27 trainings grew by tens of MB a run).
type readouts struct {
	loss, logits G.Value
}

// Compile builds the machines for n, which must have an output (SetOutput)
// and be initialised (Init). The batch-norm running statistics are kept.
func Compile(n *Net) (*Program, error) {
	return compile(n, nil, nil, true, true)
}

// compile builds the training machine (train) and the forward one (eval)
// for n, reading its images and labels from x and y (nil: new buffers).
func compile(n *Net, x, y *tensor.Dense, train, eval bool) (*Program, error) {
	switch {
	case n.err != nil:
		return nil, n.err
	case n.loss == nil:
		return nil, errors.New("graph: compile: the Net has no output (SetOutput)")
	case !n.initted:
		return nil, errors.New("graph: compile: the Net is not initialised (Init)")
	case n.dt != tensor.Float32:
		return nil, errors.Errorf("graph: compile: dtype %v, programs run float32", n.dt)
	case n.compiled:
		return nil, errors.New("graph: compile: the Net was compiled already (its graph holds the gradient now); build a new Net to compile again")
	}
	if train {
		for _, b := range n.bns {
			if b.op.shape[0]*b.op.s < 2 {
				// One value per channel normalises to zero: the layer would
				// put out its bias and pass no gradient back (PyTorch refuses
				// it too).
				return nil, errors.Errorf("graph: compile: batch norm %s sees %d value per channel in a training step (batch %d, %v): train with a larger batch or fewer replicas",
					b.name, b.op.shape[0]*b.op.s, b.op.shape[0], ShapeString(b.op.shape[1:]))
			}
		}
	}
	n.compiled = true
	p := &Program{net: n, x: x, y: y, out: &readouts{}}
	b := n.cfg.Batch
	in := n.cfg.Input
	if p.x == nil {
		p.x = tensor.New(tensor.WithShape(b, in[0], in[1], in[2]), tensor.WithBacking(make([]float32, b*in[0]*in[1]*in[2])))
	}
	if p.y == nil {
		p.y = tensor.New(tensor.WithShape(b, n.cfg.Classes), tensor.WithBacking(make([]float32, b*n.cfg.Classes)))
	}
	if err := G.Let(n.input.node, p.x); err != nil {
		return nil, errors.Wrap(err, "graph: compile: input")
	}
	if err := G.Let(n.labels, p.y); err != nil {
		return nil, errors.Wrap(err, "graph: compile: labels")
	}
	if err := n.setMasks(false, nil); err != nil {
		return nil, err
	}
	readLogits := G.Read(n.logits.node, &p.out.logits)
	G.Read(n.loss, &p.out.loss)
	learn := n.Learnables()
	if train {
		if _, err := G.Grad(n.loss, learn...); err != nil {
			return nil, errors.Wrap(err, "graph: compile: gradient")
		}
		p.train = G.NewTapeMachine(n.g, G.BindDualValues(learn...))
	}
	if eval {
		inputs := G.Nodes{n.input.node}
		for _, d := range n.drops {
			inputs = append(inputs, d.mask)
		}
		inputs = append(inputs, learn...)
		prog, locs, err := G.CompileFunction(n.g, inputs, G.Nodes{readLogits})
		if err != nil {
			return nil, errors.Wrap(err, "graph: compile: forward program")
		}
		p.eval = G.NewTapeMachine(n.g, G.WithPrecompiled(prog, locs), G.EvalMode())
	}
	return p, nil
}

// Net returns the compiled Net.
func (p *Program) Net() *Net { return p.net }

// Input returns the input buffer, (Batch, C, H, W) in row-major order: fill
// it before Step or Forward.
func (p *Program) Input() []float32 { return p.x.Data().([]float32) }

// SetLabels writes the one-hot labels of a batch. Rows past len(labels) are
// zero (they add nothing to the loss's sum, but the loss is a mean over the
// whole batch: train on full batches).
func (p *Program) SetLabels(labels []int) error {
	y := p.y.Data().([]float32)
	k := p.net.cfg.Classes
	clear(y)
	if len(labels) > p.net.cfg.Batch {
		return errors.Errorf("graph: %d labels for a batch of %d", len(labels), p.net.cfg.Batch)
	}
	for i, l := range labels {
		if l < 0 || l >= k {
			return errors.Errorf("graph: label %d of row %d outside [0, %d)", l, i, k)
		}
		y[i*k+l] = 1
	}
	return nil
}

// Step runs one training step's forward and backward pass on the buffers,
// with dropout masks drawn from rng; then Loss, Logits and Grads hold its
// results. Batch norm uses and updates batch statistics.
func (p *Program) Step(rng *rand.Rand) error {
	if p.rep != nil {
		return p.rep.step(p, rng)
	}
	if err := p.prepareStep(rng); err != nil {
		return err
	}
	return p.runStep()
}

// prepareStep sets training mode, draws the dropout masks and zeroes the
// gradients (the machine adds each run's gradients to the last ones).
func (p *Program) prepareStep(rng *rand.Rand) error {
	p.setTraining(true)
	if err := p.net.setMasks(true, rng); err != nil {
		return err
	}
	for _, prm := range p.net.params {
		if g, err := prm.Node.Grad(); err == nil {
			if t, ok := g.(tensor.Tensor); ok {
				t.Zero()
			}
		}
	}
	return nil
}

// runStep runs the training machine once. A panic in an op (or one of its
// workers) becomes the step's error.
func (p *Program) runStep() (err error) {
	defer recoverInto(&err, "graph: training step")
	p.train.Reset()
	if err := p.train.RunAll(); err != nil {
		return errors.Wrap(err, "graph: training step")
	}
	return nil
}

// recoverOp is recoverInto for an op's Do and UsePreallocDo, the op named
// by its String only when it panicked (formatting it on every run cost a
// Sprintf per op and step).
func recoverOp(err *error, op fmt.Stringer) {
	if r := recover(); r != nil {
		*err = panicError(r, "graph: "+op.String())
	}
}

// recoverInto turns a panic in the calling function into *err: the
// machines' runs defer it, and every op's Do and UsePreallocDo does the
// same through recoverOp (Gorgonia runs them in a goroutine of its own,
// where a panic would end the process).
// A panic in an op is a bug to report, not a reason to lose the process
// (the training loop keeps its last checkpoint).
func recoverInto(err *error, what string) {
	if r := recover(); r != nil {
		*err = panicError(r, what)
	}
}

// panicError turns a recovered panic r into an error that says what
// panicked: a worker's panic as its message, any other with the stack.
func panicError(r any, what string) error {
	if wp, ok := r.(workers.Panic); ok {
		return errors.Errorf("%s: %v", what, wp.Error())
	}
	return errors.Errorf("%s: panic: %v\n%s", what, r, debug.Stack())
}

// Forward runs the forward-only machine in evaluation mode (running
// statistics, no dropout); then Logits holds its result.
func (p *Program) Forward() (err error) {
	defer recoverInto(&err, "graph: forward")
	if p.rep != nil {
		p.rep.stepped = false
	}
	p.setTraining(false)
	if err := p.net.setMasks(false, nil); err != nil {
		return err
	}
	p.eval.Reset()
	if err := p.eval.RunAll(); err != nil {
		return errors.Wrap(err, "graph: forward")
	}
	return nil
}

// Loss returns the mean cross-entropy of the last Step.
func (p *Program) Loss() float64 {
	if p.rep != nil && p.rep.stepped {
		return p.rep.loss
	}
	if p.out.loss == nil {
		return 0
	}
	return float64(p.out.loss.Data().(float32))
}

// Logits returns the (Batch, Classes) logits of the last Step or Forward,
// row-major. The slice is reused by the next run.
func (p *Program) Logits() []float32 {
	if p.rep != nil && p.rep.stepped {
		return p.rep.logits
	}
	if p.out.logits == nil {
		return nil
	}
	return p.out.logits.Data().([]float32)
}

// Grads returns the gradient of the loss for each parameter of Params, in
// the same order, as left by the last Step. The slices are live.
func (p *Program) Grads() ([][]float32, error) {
	if p.rep != nil {
		return p.rep.grads, nil
	}
	out := make([][]float32, len(p.net.params))
	for i, prm := range p.net.params {
		g, err := prm.Node.Grad()
		if err != nil {
			return nil, errors.Wrapf(err, "graph: gradient of %s", prm.Name)
		}
		out[i] = g.Data().([]float32)
	}
	return out, nil
}

// Values returns the live value of each parameter of Params, in order:
// writing into them changes the weights.
func (p *Program) Values() [][]float32 {
	out := make([][]float32, len(p.net.params))
	for i, prm := range p.net.params {
		out[i] = prm.Node.Value().Data().([]float32)
	}
	return out
}

// Close releases the machines.
func (p *Program) Close() error {
	var err error
	for _, vm := range []G.VM{p.train, p.eval} {
		if vm == nil {
			continue
		}
		if e := vm.Close(); err == nil {
			err = e
		}
	}
	if p.rep != nil {
		for _, r := range p.rep.shards {
			if e := r.Close(); err == nil {
				err = e
			}
		}
	}
	return err
}

// setTraining puts batch norm in training mode (batch statistics) or
// evaluation mode (running statistics), and tells the convolutions whether
// to keep their columns (only for a training step's weight gradients). It
// sets every batch norm each time: a tape machine made on the graph after
// Compile would have set them all to its own mode.
func (p *Program) setTraining(on bool) {
	for _, b := range p.net.bns {
		b.op.SetTraining(on)
	}
	for _, c := range p.net.colCaches {
		c.evaluating = !on
	}
}
