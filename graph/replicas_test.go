package graph

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gorgonia.org/tensor"
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

// bnNet is smallNet with a batch norm after its convolution.
func bnNet(cfg Config) (*Net, error) {
	n, x := New(cfg)
	h := n.MaxPool("p", n.BatchNorm("bn", n.Conv("c", x, 4, K(3), Pad(1))).ReLU(), 2, 2, 0)
	if err := n.SetOutput(n.Dense("fc", n.Flatten("f", h), cfg.Classes)); err != nil {
		return nil, err
	}
	n.SetRebuild(bnNet)
	return n, nil
}

// bnStep runs one training step of bnNet (seed 5) on images of the given
// batch: whole with replicas, and returns the Program after the step.
func bnStep(t *testing.T, images []float32, labels []int, replicas int) *Program {
	t.Helper()
	n, err := bnNet(Config{Batch: len(labels), Input: [3]int{1, 6, 6}, Classes: 3})
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
	copy(p.Input(), images)
	if err := p.SetLabels(labels); err != nil {
		t.Fatal(err)
	}
	if err := p.Step(rand.New(rand.NewPCG(4, 4))); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBatchNormReplicas: with two replicas each half of the batch is
// normalised alone, so the gradients are the mean of two half-batch steps
// and the running mean the mean of theirs; the same bits on one core or two.
func TestBatchNormReplicas(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	images := make([]float32, 8*36)
	for i := range images {
		images[i] = rng.Float32()
	}
	labels := []int{0, 1, 2, 0, 1, 2, 0, 1}
	both := bnStep(t, images, labels, 2)
	defer both.Close()
	halves := []*Program{bnStep(t, images[:4*36], labels[:4], 1), bnStep(t, images[4*36:], labels[4:], 1)}
	defer halves[0].Close()
	defer halves[1].Close()
	g2, err := both.Grads()
	if err != nil {
		t.Fatal(err)
	}
	ga, err := halves[0].Grads()
	if err != nil {
		t.Fatal(err)
	}
	gb, err := halves[1].Grads()
	if err != nil {
		t.Fatal(err)
	}
	for i := range g2 {
		for j := range g2[i] {
			want := (ga[i][j] + gb[i][j]) / 2
			if d := math.Abs(float64(g2[i][j] - want)); d > 1e-6*(1+math.Abs(float64(want))) {
				t.Fatalf("gradient %d[%d]: %v with replicas, %v as the mean of the halves'", i, j, g2[i][j], want)
			}
		}
	}
	m2, v2 := both.Net().bns[0].op.Stats()
	ma, va := halves[0].Net().bns[0].op.Stats()
	mb, vb := halves[1].Net().bns[0].op.Stats()
	for c := range 4 {
		for _, s := range [][3]tensor.Tensor{{m2, ma, mb}, {v2, va, vb}} {
			got, want := at(s[0], c), (at(s[1], c)+at(s[2], c))/2
			if math.Abs(float64(got-want)) > 1e-6 {
				t.Fatalf("running statistic of channel %d: %v, want the halves' mean %v", c, got, want)
			}
		}
	}
	if m2.Data().([]float32)[0] == 0 {
		t.Fatal("the running mean did not move")
	}
	old := runtime.GOMAXPROCS(1)
	one := bnStep(t, images, labels, 2)
	runtime.GOMAXPROCS(old)
	defer one.Close()
	g1, err := one.Grads()
	if err != nil {
		t.Fatal(err)
	}
	m1, _ := one.Net().bns[0].op.Stats()
	for i := range g1 {
		for j := range g1[i] {
			if math.Float32bits(g1[i][j]) != math.Float32bits(g2[i][j]) {
				t.Fatalf("gradient %d[%d]: %v on one core, %v on %d", i, j, g1[i][j], g2[i][j], old)
			}
		}
	}
	for c := range 4 {
		if math.Float32bits(m1.Data().([]float32)[c]) != math.Float32bits(m2.Data().([]float32)[c]) {
			t.Fatalf("running mean %d differs between one core and %d", c, old)
		}
	}
}

// TestReplicasRefused: an uneven split and a Net that cannot rebuild
// itself are errors, not silent changes.
func TestReplicasRefused(t *testing.T) {
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

// at reads element i of a float32 tensor.
func at(t tensor.Tensor, i int) float32 { return t.Data().([]float32)[i] }
