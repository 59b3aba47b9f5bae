package graph

import (
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// replicas is data-parallel training: the batch is cut into equal shards,
// one copy of the network (a replica, a Net built for the shard's batch)
// trains on each, all at once, one per core; their gradients are averaged
// in a fixed order. The number of shards is part of the job, not of the
// machine, so the result is the same, bit for bit, with any number of
// cores; it differs from training on the whole batch at once only by
// rounding (sums split in two).
type replicas struct {
	shards  []*Program  // this process's
	grads   [][]float32 // the averaged gradients, one per parameter
	loss    float64
	logits  []float32
	stepped bool // Loss and Logits are the replicas' (the last run was a Step)
	dist    *distributed
}

// CanReplicate says why n cannot be trained by replicas, or nil: the Net
// must know how to build itself again (arch's builders record that).
//
// Batch norm in replicas normalises each shard by its own statistics, as
// PyTorch's DistributedDataParallel does without SyncBatchNorm; each step
// starts every replica from the Net's running statistics and leaves the
// Net the mean of the replicas' updated ones (for the running mean that is
// exactly the whole batch's update; the variance is the mean of the
// shards').
func (n *Net) CanReplicate() error {
	switch {
	case n.err != nil:
		return n.err
	case n.rebuild == nil:
		return errors.New("graph: replicas: the Net does not know how to build itself again (build it with arch)")
	}
	return nil
}

// CompileReplicas is Compile with training steps run by shards data-
// parallel replicas of n, each on Batch/shards images (Batch must divide
// evenly); shards <= 1 is plain Compile. Forward passes (evaluation) run on
// n itself, over the whole batch. n holds the weights: each step copies
// them to the replicas first. Loss, Logits and Grads after a Step are the
// whole batch's: the mean of the replicas' losses, their logits in batch
// order, the mean of their gradients.
func CompileReplicas(n *Net, shards int) (*Program, error) {
	if shards <= 1 {
		return Compile(n)
	}
	return compileReplicas(n, shards, nil)
}

// CompileDistributed is CompileReplicas with the shards replicas split
// over the processes of c (shards must be a multiple of c.Size()): rank k
// runs shards k*shards/Size onwards, every rank fills the whole batch, and
// a Step exchanges the replicas' results so that every rank ends it with
// the same Loss, Logits and Grads, bit for bit those of CompileReplicas
// with as many shards in one process. A nil c, or one process, is
// CompileReplicas.
func CompileDistributed(n *Net, shards int, c Comm) (*Program, error) {
	if c == nil || c.Size() <= 1 {
		return CompileReplicas(n, shards)
	}
	if shards < c.Size() || shards%c.Size() != 0 || c.Rank() < 0 || c.Rank() >= c.Size() {
		return nil, errors.Errorf("graph: %d replicas do not split over %d processes (rank %d): use a multiple of %d",
			shards, c.Size(), c.Rank(), c.Size())
	}
	return compileReplicas(n, shards, c)
}

func compileReplicas(n *Net, shards int, c Comm) (*Program, error) {
	if err := n.CanReplicate(); err != nil {
		return nil, err
	}
	b := n.cfg.Batch
	if b%shards != 0 {
		return nil, errors.Errorf("graph: replicas: a batch of %d does not split into %d equal shards", b, shards)
	}
	p, err := compile(n, nil, nil, false, true)
	if err != nil {
		return nil, err
	}
	x, y := p.x.Data().([]float32), p.y.Data().([]float32)
	xs, ys := len(x)/shards, len(y)/shards
	rep := &replicas{logits: make([]float32, b*n.cfg.Classes)}
	p.rep = rep
	first, local := 0, shards
	if c != nil {
		local = shards / c.Size()
		first = c.Rank() * local
	}
	cfg := n.cfg
	cfg.Batch = b / shards
	for i := first; i < first+local; i++ {
		r, err := n.rebuild(cfg)
		if err == nil {
			err = r.Init(0) // the weights are copied from n before each step
		}
		if err != nil {
			p.Close()
			return nil, errors.Wrapf(err, "graph: replica %d", i)
		}
		if err := sameParams(n, r); err != nil {
			p.Close()
			return nil, errors.Wrapf(err, "graph: replica %d", i)
		}
		s := p.x.Shape()
		rx := tensor.New(tensor.WithShape(cfg.Batch, s[1], s[2], s[3]), tensor.WithBacking(x[i*xs:(i+1)*xs]))
		ry := tensor.New(tensor.WithShape(cfg.Batch, n.cfg.Classes), tensor.WithBacking(y[i*ys:(i+1)*ys]))
		rp, err := compile(r, rx, ry, true, false)
		if err != nil {
			p.Close()
			return nil, errors.Wrapf(err, "graph: replica %d", i)
		}
		rep.shards = append(rep.shards, rp)
	}
	for _, v := range p.Values() {
		rep.grads = append(rep.grads, make([]float32, len(v)))
	}
	if c != nil {
		if rep.dist, err = newDistributed(n, c, cfg, shards, first); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// sameParams checks that replica r has n's parameters: same names, same
// sizes, same order, so that copying values across is a plain copy.
func sameParams(n, r *Net) error {
	if len(r.params) != len(n.params) || len(r.fixed) != len(n.fixed) || len(r.bns) != len(n.bns) {
		return errors.Errorf("%d parameters, %d fixed tensors and %d batch norms, the Net %d, %d and %d",
			len(r.params), len(r.fixed), len(r.bns), len(n.params), len(n.fixed), len(n.bns))
	}
	for i, p := range n.params {
		if q := r.params[i]; q.Name != p.Name || q.Size() != p.Size() {
			return errors.Errorf("parameter %d is %s (%d values), the Net's %s (%d)", i, q.Name, q.Size(), p.Name, p.Size())
		}
	}
	return nil
}

// step runs one training step on every replica: the weights copied in,
// the dropout masks drawn in shard order from rng (in a distributed step
// every rank draws every shard's, keeping its own), the replicas run side
// by side, then their results combined in shard order.
func (rep *replicas) step(p *Program, rng *rand.Rand) error {
	values := p.Values()
	threads := max(1, runtime.GOMAXPROCS(0)/len(rep.shards))
	for _, r := range rep.shards {
		for i, v := range r.Values() {
			copy(v, values[i]) // sizes checked by sameParams
		}
		for i, f := range p.net.fixed { // RBF prototypes, as loaded
			src, dst := f.node.Value().Data(), r.net.fixed[i].node.Value().Data()
			if a, ok := src.([]float32); ok {
				copy(dst.([]float32), a)
			}
		}
		for i, b := range p.net.bns {
			if err := r.net.bns[i].op.SetStats(b.op.runMean, b.op.runVar); err != nil {
				return errors.Wrapf(err, "replica batch norm %s", b.name)
			}
		}
		r.net.SetThreads(threads)
	}
	if err := rep.prepare(rng); err != nil {
		return err
	}
	errs := make([]error, len(rep.shards))
	var wg sync.WaitGroup
	for i, r := range rep.shards {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = r.runStep() }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return errors.Wrapf(err, "replica %d", i)
		}
	}
	results, err := rep.results()
	if err != nil {
		return err
	}
	if err := averageStats(p.net, results); err != nil {
		return err
	}
	rep.combine(results)
	return nil
}

// prepare draws every shard's dropout masks in shard order: this
// process's into its replicas, the others' (distributed) into a spare Net
// of the same shapes, so that rng moves on exactly as in one process.
func (rep *replicas) prepare(rng *rand.Rand) error {
	if rep.dist == nil {
		for _, r := range rep.shards {
			if err := r.prepareStep(rng); err != nil {
				return err
			}
		}
		return nil
	}
	d := rep.dist
	for k := 0; k < d.shards; k++ {
		if k >= d.first && k < d.first+len(rep.shards) {
			if err := rep.shards[k-d.first].prepareStep(rng); err != nil {
				return err
			}
			continue
		}
		if d.spare != nil {
			if err := d.spare.setMasks(true, rng); err != nil {
				return err
			}
		}
	}
	return nil
}

// shardResult is what one shard's step gives: its parameters' gradients,
// its loss, its logits and its batch norms' updated running statistics
// (mean then variance of each), in the Net's order.
type shardResult struct {
	grads  [][]float32
	loss   float64
	logits []float32
	stats  [][]float32
}

// results are every shard's results in shard order: this process's
// replicas', or (distributed) every rank's, exchanged.
func (rep *replicas) results() ([]shardResult, error) {
	local := make([]shardResult, len(rep.shards))
	for k, r := range rep.shards {
		grads, err := r.Grads()
		if err != nil {
			return nil, err
		}
		local[k] = shardResult{grads: grads, loss: r.Loss(), logits: r.Logits()}
		for _, b := range r.net.bns {
			mean, ok1 := b.op.runMean.Data().([]float32)
			vr, ok2 := b.op.runVar.Data().([]float32)
			if !ok1 || !ok2 {
				return nil, errors.Errorf("graph: replicas: batch norm %s is not float32", b.name)
			}
			local[k].stats = append(local[k].stats, mean, vr)
		}
	}
	if rep.dist == nil {
		return local, nil
	}
	return rep.dist.exchange(local)
}

// averageStats sets each of n's batch norms' running statistics to the
// mean of the shards', summed in shard order.
func averageStats(n *Net, results []shardResult) error {
	scale := 1 / float32(len(results))
	for i, b := range n.bns {
		for s, t := range []*tensor.Dense{b.op.runMean, b.op.runVar} {
			dst, ok := t.Data().([]float32)
			if !ok {
				return errors.Errorf("graph: replicas: batch norm %s is not float32", b.name)
			}
			for k, r := range results {
				src := r.stats[2*i+s]
				if k == 0 {
					copy(dst, src)
					continue
				}
				for j, v := range src[:len(dst)] {
					dst[j] += v
				}
			}
			for j := range dst {
				dst[j] *= scale
			}
		}
	}
	return nil
}

// combine averages the shards' gradients and losses and lays their logits
// side by side, always in shard order.
func (rep *replicas) combine(results []shardResult) {
	scale := 1 / float32(len(results))
	rep.loss = 0
	off := 0
	for k, r := range results {
		for i, g := range r.grads {
			dst := rep.grads[i]
			if k == 0 {
				copy(dst, g)
				continue
			}
			for j, v := range g[:len(dst)] {
				dst[j] += v
			}
		}
		rep.loss += r.loss
		off += copy(rep.logits[off:], r.logits)
	}
	for _, g := range rep.grads {
		for j := range g {
			g[j] *= scale
		}
	}
	rep.loss /= float64(len(results))
	rep.stepped = true
}
