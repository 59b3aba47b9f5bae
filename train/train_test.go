package train_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
	"github.com/convnets/convnets/train/weights"
)

var sample = filepath.Join("..", "testdata", "mnist")

func sampleData(t *testing.T) train.Data {
	t.Helper()
	d, err := datasets.Load(train.Job{Data: sample, Val: 100}, "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func job(seed uint64, epochs, batch int) train.Job {
	return train.Job{Arch: "lenet5-relu", Input: [3]int{1, 28, 28}, Classes: 10, Epochs: epochs, Batch: batch,
		Opt: train.OptConfig{Name: "adam", LR: 2e-3}, Seed: seed, Data: sample}
}

// runJob trains a job on the testdata sample and returns its history and
// weight hash.
func runJob(t *testing.T, j train.Job) ([]train.EpochStats, string) {
	t.Helper()
	spec, err := arch.Builtin().Lookup(j.Arch)
	if err != nil {
		t.Fatal(err)
	}
	net, err := spec.New(arch.Config{Input: j.Input, Classes: j.Classes}, graph.Config{Batch: j.Batch})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	history, err := train.Execute(context.Background(), j, net, sampleData(t), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := weights.Hash(net)
	if err != nil {
		t.Fatal(err)
	}
	// The weights file holds the same weights.
	ck, err := weights.ReadCheckpoint(filepath.Join(dir, train.WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Init(j.Seed + 1); err != nil {
		t.Fatal(err)
	}
	if err := weights.LoadInto(net, ck, "weights"); err != nil {
		t.Fatal(err)
	}
	if h, _ := weights.Hash(net); h != hash {
		t.Fatal("weights.ckpt does not hold the final weights")
	}
	return history, hash
}

// TestTrainingLearns trains LeNet-5 on the 400-image sample (100 held out)
// and asserts that the loss falls and the network beats chance by far.
func TestTrainingLearns(t *testing.T) {
	history, _ := runJob(t, job(1, 4, 32))
	first, last := history[0], history[len(history)-1]
	if !(last.TrainLoss < 0.6*first.TrainLoss) {
		t.Errorf("train loss %.4f -> %.4f: did not fall", first.TrainLoss, last.TrainLoss)
	}
	if last.ValAcc < 0.6 || last.TestAcc < 0.6 {
		t.Errorf("after %d epochs: validation accuracy %.3f, test %.3f; want at least 0.6", last.Epoch, last.ValAcc, last.TestAcc)
	}
}

// TestSameSeedSameWeights: a job of 200 steps (8 epochs of 25 batches) run
// twice gives bit-identical weights, and another seed gives other weights.
func TestSameSeedSameWeights(t *testing.T) {
	_, a := runJob(t, job(7, 8, 16))
	_, b := runJob(t, job(7, 8, 16))
	_, c := runJob(t, job(8, 8, 16))
	if a != b {
		t.Errorf("same seed, different weights: %s vs %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same weights %s", a)
	}
}

// TestDefaultReplicas: two replicas for a network without batch norm over
// an even batch, none for batch norm or an odd batch.
func TestDefaultReplicas(t *testing.T) {
	for _, c := range []struct {
		arch  string
		batch int
		want  int
	}{{"lenet5-relu", 64, 2}, {"lenet5-relu", 33, 1}, {"lenet5-bn", 64, 1}} {
		j := job(1, 1, c.batch)
		j.Arch = c.arch
		if got := train.DefaultReplicas(newNet(t, j)); got != c.want {
			t.Errorf("%s at batch %d: %d replicas, want %d", c.arch, c.batch, got, c.want)
		}
	}
}
