package graph

import (
	"math"

	"github.com/pkg/errors"
)

// distributed is the part of data-parallel training that crosses
// processes: which shards are this rank's, and the buffers of the
// exchange. Each shard's results travel as one block of float32s:
// gradients, loss (a float64 in two halves), logits, batch-norm running
// statistics and a stop flag; blocks arrive in rank order, which is shard
// order, so combining them is the one-process sum, bit for bit.
type distributed struct {
	comm          Comm
	shards, first int
	spare         *Net // draws the other ranks' dropout masks; nil without dropout
	block         int  // floats per shard
	send, recv    []float32
	all           []shardResult // every shard's results, views into recv
	stop          bool          // this rank asks to stop after the step
	stopped       bool          // some rank asked, in the last step
}

func newDistributed(n *Net, c Comm, shard Config, shards, first int) (*distributed, error) {
	d := &distributed{comm: c, shards: shards, first: first}
	if len(n.drops) > 0 {
		spare, err := n.rebuild(shard)
		if err != nil {
			return nil, errors.Wrap(err, "graph: distributed: spare replica")
		}
		d.spare = spare
	}
	for _, p := range n.params {
		d.block += int(p.Size())
	}
	d.block += 2 + shard.Batch*shard.Classes + 1
	for _, b := range n.bns {
		d.block += 2 * b.op.runMean.Shape().TotalSize()
	}
	local := shards / c.Size()
	d.send = make([]float32, local*d.block)
	d.recv = make([]float32, shards*d.block)
	return d, nil
}

// exchange sends this rank's shards' results and returns every shard's,
// views into the received blocks.
func (d *distributed) exchange(local []shardResult) ([]shardResult, error) {
	stop := float32(0)
	if d.stop {
		stop = 1
	}
	for k, r := range local {
		b := d.send[k*d.block : (k+1)*d.block]
		off := 0
		for _, g := range r.grads {
			off += copy(b[off:], g)
		}
		bits := math.Float64bits(r.loss)
		b[off], b[off+1] = math.Float32frombits(uint32(bits>>32)), math.Float32frombits(uint32(bits))
		off += 2
		off += copy(b[off:], r.logits)
		for _, s := range r.stats {
			off += copy(b[off:], s)
		}
		b[off] = stop
		if off+1 != d.block {
			return nil, errors.Errorf("graph: distributed: a shard's results take %d values, not %d", off+1, d.block)
		}
	}
	if err := d.comm.Allgather(d.send, d.recv); err != nil {
		return nil, errors.Wrap(err, "graph: distributed: exchanging the replicas' results")
	}
	if len(d.all) != d.shards {
		d.all = make([]shardResult, d.shards)
	}
	all := d.all
	d.stopped = false
	for k := range all {
		b := d.recv[k*d.block : (k+1)*d.block]
		off := 0
		shape := local[0]
		all[k].grads, all[k].stats = all[k].grads[:0], all[k].stats[:0]
		for _, g := range shape.grads {
			all[k].grads = append(all[k].grads, b[off:off+len(g)])
			off += len(g)
		}
		all[k].loss = math.Float64frombits(uint64(math.Float32bits(b[off]))<<32 | uint64(math.Float32bits(b[off+1])))
		off += 2
		all[k].logits = b[off : off+len(shape.logits)]
		off += len(shape.logits)
		for _, s := range shape.stats {
			all[k].stats = append(all[k].stats, b[off:off+len(s)])
			off += len(s)
		}
		if b[off] != 0 {
			d.stopped = true
		}
	}
	return all, nil
}
