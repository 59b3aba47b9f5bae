package graph

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// smallNet is a conv, pool, dropout and dense network that knows how to
// build itself again (as arch's builders do), for the replica tests.
func smallNet(cfg Config) (*Net, error) {
	n, x := New(cfg)
	h := n.MaxPool("p", n.Conv("c", x, 4, K(3), Pad(1)).ReLU(), 2, 2, 0)
	h = n.Dropout("drop", n.Flatten("f", h), 0.25)
	if err := n.SetOutput(n.Dense("fc", h, cfg.Classes)); err != nil {
		return nil, err
	}
	n.SetRebuild(smallNet)
	return n, nil
}

// replicaStep runs one training step of a fresh smallNet at batch 8 with
// the given replicas and returns the loss, the logits and the gradients.
func replicaStep(t *testing.T, replicas int) (float64, []float32, [][]float32) {
	t.Helper()
	n, err := smallNet(Config{Batch: 8, Input: [3]int{1, 6, 6}, Classes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Init(5); err != nil {
		t.Fatal(err)
	}
	p, err := CompileReplicas(n, replicas)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	rng := rand.New(rand.NewPCG(2, 3))
	for i := range p.Input() {
		p.Input()[i] = rng.Float32()
	}
	if err := p.SetLabels([]int{0, 1, 2, 0, 1, 2, 0, 1}); err != nil {
		t.Fatal(err)
	}
	if err := p.Step(rand.New(rand.NewPCG(4, 4))); err != nil {
		t.Fatal(err)
	}
	grads, err := p.Grads()
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float32, len(grads))
	for i, g := range grads {
		out[i] = append([]float32(nil), g...)
	}
	return p.Loss(), append([]float32(nil), p.Logits()...), out
}

// TestReplicasMatchWholeBatch: two replicas on half batches give the
// whole batch's loss, logits and gradients (to rounding), with dropout
// masks drawn in the same order; and the same bits on one core or two.
func TestReplicasMatchWholeBatch(t *testing.T) {
	loss1, logits1, grads1 := replicaStep(t, 1)
	loss2, logits2, grads2 := replicaStep(t, 2)
	if math.Abs(loss1-loss2) > 1e-5 {
		t.Fatalf("loss %v with replicas, %v without", loss2, loss1)
	}
	for i := range logits1 {
		if math.Abs(float64(logits1[i]-logits2[i])) > 1e-5 {
			t.Fatalf("logit %d: %v with replicas, %v without", i, logits2[i], logits1[i])
		}
	}
	for i := range grads1 {
		for j := range grads1[i] {
			if d := math.Abs(float64(grads1[i][j] - grads2[i][j])); d > 1e-5*(1+math.Abs(float64(grads1[i][j]))) {
				t.Fatalf("gradient %d[%d]: %v with replicas, %v without", i, j, grads2[i][j], grads1[i][j])
			}
		}
	}
	old := runtime.GOMAXPROCS(1)
	_, _, one := replicaStep(t, 2)
	runtime.GOMAXPROCS(old)
	for i := range one {
		for j := range one[i] {
			if math.Float32bits(one[i][j]) != math.Float32bits(grads2[i][j]) {
				t.Fatalf("gradient %d[%d]: %v on one core, %v on %d", i, j, one[i][j], grads2[i][j], old)
			}
		}
	}
}

// TestReplicasRefused: batch norm, an uneven split and a Net that cannot
// rebuild itself are errors, not silent changes.
func TestReplicasRefused(t *testing.T) {
	n, x := New(Config{Batch: 8, Input: [3]int{1, 4, 4}, Classes: 2})
	if err := n.SetOutput(n.Dense("fc", n.Flatten("f", n.BatchNorm("bn", x)), 2)); err != nil {
		t.Fatal(err)
	}
	n.SetRebuild(smallNet)
	if err := n.Init(1); err != nil {
		t.Fatal(err)
	}
	if _, err := CompileReplicas(n, 2); err == nil {
		t.Fatal("replicas of a batch-norm net compiled")
	}
	m, err := smallNet(Config{Batch: 8, Input: [3]int{1, 6, 6}, Classes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Init(1); err != nil {
		t.Fatal(err)
	}
	if _, err := CompileReplicas(m, 3); err == nil {
		t.Fatal("a batch of 8 split into 3 replicas")
	}
	m.SetRebuild(nil)
	if _, err := CompileReplicas(m, 2); err == nil {
		t.Fatal("replicas of a Net that cannot rebuild itself")
	}
}
