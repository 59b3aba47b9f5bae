package graph

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// memComm is a Comm between goroutines: the ranks of a group in one
// process, for tests of CompileDistributed without MPI.
type memComm struct {
	rank int
	g    *memGroup
}

type memGroup struct {
	size  int
	mu    sync.Mutex
	cond  *sync.Cond
	buf   []float32
	in    int // ranks that have written their part of this round
	round int
	out   int // ranks that have read this round's result
}

func newMemGroup(size int) []Comm {
	g := &memGroup{size: size}
	g.cond = sync.NewCond(&g.mu)
	cs := make([]Comm, size)
	for r := range cs {
		cs[r] = &memComm{rank: r, g: g}
	}
	return cs
}

func (c *memComm) Rank() int { return c.rank }
func (c *memComm) Size() int { return c.g.size }

func (c *memComm) Allgather(send, recv []float32) error {
	g := c.g
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.out > 0 { // the last round is still being read
		g.cond.Wait()
	}
	if len(g.buf) != len(recv) {
		g.buf = make([]float32, len(recv))
	}
	copy(g.buf[c.rank*len(send):], send)
	g.in++
	round := g.round
	if g.in == g.size {
		g.in, g.out = 0, g.size
		g.round++
		g.cond.Broadcast()
	}
	for g.round == round {
		g.cond.Wait()
	}
	copy(recv, g.buf)
	if g.out--; g.out == 0 {
		g.cond.Broadcast()
	}
	return nil
}

// distNet has what a distributed step exchanges: a batch norm and dropout.
func distNet(cfg Config) (*Net, error) {
	n, x := New(cfg)
	h := n.MaxPool("p", n.BatchNorm("bn", n.Conv("c", x, 4, K(3), Pad(1))).ReLU(), 2, 2, 0)
	h = n.Dropout("drop", n.Flatten("f", h), 0.3)
	if err := n.SetOutput(n.Dense("fc", h, cfg.Classes)); err != nil {
		return nil, err
	}
	n.SetRebuild(distNet)
	return n, nil
}

// distRun runs two training steps of distNet at batch 8 over shards
// replicas, on comm's rank (nil: one process), and returns the Program.
func distRun(t *testing.T, shards int, comm Comm, stop bool) *Program {
	n, err := distNet(Config{Batch: 8, Input: [3]int{1, 6, 6}, Classes: 3})
	if err == nil {
		err = n.Init(5)
	}
	if err != nil {
		t.Error(err)
		return nil
	}
	p, err := CompileDistributed(n, shards, comm)
	if err != nil {
		t.Error(err)
		return nil
	}
	rng := rand.New(rand.NewPCG(4, 4))
	for step := 0; step < 2; step++ {
		for i := range p.Input() {
			p.Input()[i] = rng.Float32()
		}
		if err := p.SetLabels([]int{0, 1, 2, 0, 1, 2, 0, 1}); err != nil {
			t.Error(err)
			return nil
		}
		p.AskStop(stop && step == 1)
		if err := p.Step(rng); err != nil {
			t.Error(err)
			return nil
		}
		grads, _ := p.Grads()
		for i, v := range p.Values() { // plain SGD, so that the second step sees the first
			for j := range v {
				v[j] -= 0.1 * grads[i][j]
			}
		}
	}
	return p
}

// TestDistributedMatchesReplicas: 4 replicas split over 2 ranks (2 each) or
// 4 ranks (1 each) give every rank the bits of 4 replicas in one process:
// loss, logits, gradients, weights after two steps and batch-norm running
// statistics, with dropout; and a stop asked by one rank reaches all.
func TestDistributedMatchesReplicas(t *testing.T) {
	want := distRun(t, 4, nil, false)
	if want == nil {
		t.FailNow()
	}
	for _, size := range []int{2, 4} {
		comms := newMemGroup(size)
		got := make([]*Program, size)
		var wg sync.WaitGroup
		for r := range comms {
			wg.Add(1)
			go func() { defer wg.Done(); got[r] = distRun(t, 4, comms[r], r == size-1) }()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		for r, p := range got {
			if !p.Distributed() || !p.Stopping() {
				t.Fatalf("%d ranks, rank %d: distributed %v, stopping %v (the last rank asked to stop)", size, r, p.Distributed(), p.Stopping())
			}
			if math.Float64bits(p.Loss()) != math.Float64bits(want.Loss()) {
				t.Fatalf("%d ranks, rank %d: loss %v, one process %v", size, r, p.Loss(), want.Loss())
			}
			sameBits(t, "logits", p.Logits(), want.Logits())
			g1, _ := p.Grads()
			g2, _ := want.Grads()
			for i := range g1 {
				sameBits(t, "gradient", g1[i], g2[i])
			}
			for i, v := range p.Values() {
				sameBits(t, "weights", v, want.Values()[i])
			}
			b1, b2 := p.net.bns[0].op, want.net.bns[0].op
			sameBits(t, "running mean", b1.runMean.Data().([]float32), b2.runMean.Data().([]float32))
			sameBits(t, "running variance", b1.runVar.Data().([]float32), b2.runVar.Data().([]float32))
		}
	}
	if want.Stopping() {
		t.Fatal("one process: Stopping is true")
	}
	for _, shards := range []int{3, 1, 0} {
		if _, err := CompileDistributed(mustNet(t), shards, newMemGroup(2)[0]); err == nil {
			t.Fatalf("%d replicas over 2 ranks: no error", shards)
		}
	}
}

func mustNet(t *testing.T) *Net {
	n, err := distNet(Config{Batch: 6, Input: [3]int{1, 6, 6}, Classes: 3})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d]: %v, one process %v", what, i, got[i], want[i])
		}
	}
}
