package train_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/weights"
)

// newNet builds the job's network.
func newNet(t *testing.T, j train.Job) *graph.Net {
	t.Helper()
	spec, err := arch.Builtin().Lookup(j.Arch)
	if err != nil {
		t.Fatal(err)
	}
	net, err := spec.New(arch.Config{Input: j.Input, Classes: j.Classes, Width: j.Width}, graph.Config{Batch: j.Batch})
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// TestResumeIsExact stops a run mid-epoch and at an epoch's end, resumes
// it, and compares the final weights with the run never stopped: batch
// norm (lenet5-bn) and dropout (the lecture's AlexNet at 1/8 width) with
// shift augmentation, a validation split and a cosine schedule; the
// AlexNet trains on two data-parallel replicas with Adam, the LeNet with
// LARS (its momentum buffers and layer-wise rates).
func TestResumeIsExact(t *testing.T) {
	for _, j := range []train.Job{
		{Arch: "lenet5-bn", Input: [3]int{1, 28, 28}, Classes: 10, Opt: train.OptConfig{Name: "lars", LR: 5, Momentum: 0.9}},
		{Arch: "alexnet-mnist", Input: [3]int{1, 96, 96}, Classes: 10, Width: 0.125, Replicas: 2, Opt: train.OptConfig{Name: "adam", LR: 2e-3}},
		{Arch: "lenet5-bn", Input: [3]int{1, 28, 28}, Classes: 10, Replicas: 2, Opt: train.OptConfig{Name: "adam", LR: 2e-3}},
	} {
		j.Epochs, j.Batch, j.Shift, j.Seed, j.Val = 3, 32, 1, 5, 100
		j.Schedule = train.Schedule{Name: "cosine"}
		t.Run(fmt.Sprintf("%s/replicas=%d", j.Arch, j.Replicas), func(t *testing.T) { checkResume(t, j) })
	}
}

func checkResume(t *testing.T, j train.Job) {
	data := sampleData(t) // 400 training images: 12 steps an epoch
	whole := filepath.Join(t.TempDir(), "whole")
	net := newNet(t, j)
	if _, err := train.Execute(context.Background(), j, net, data, whole, nil); err != nil {
		t.Fatal(err)
	}
	want, _ := weights.Hash(net)
	for _, stop := range []int64{17, 24} { // mid-epoch 2; the end of epoch 2
		dir := filepath.Join(t.TempDir(), "stopped")
		js := j
		js.StopAfter = stop
		_, err := train.Execute(context.Background(), js, newNet(t, js), data, dir, nil)
		if !errors.Is(err, train.ErrInterrupted) {
			t.Fatalf("stop after %d: %v, want an interruption", stop, err)
		}
		resumed := newNet(t, js)
		if _, err := train.Resume(context.Background(), dir, resumed, data, nil); err != nil {
			t.Fatalf("resume after %d: %v", stop, err)
		}
		if got, _ := weights.Hash(resumed); got != want {
			t.Errorf("stopped after step %d and resumed: weights %s, uninterrupted %s", stop, got, want)
		}
	}
}

// TestCancelWritesCheckpoint: a cancelled context (Ctrl-C) stops the run
// with ErrInterrupted after writing last.ckpt, from which it resumes to the
// same weights as a run never stopped.
func TestCancelWritesCheckpoint(t *testing.T) {
	j := job(4, 1, 50)
	data := sampleData(t)
	whole := newNet(t, j)
	if _, err := train.Execute(context.Background(), j, whole, data, filepath.Join(t.TempDir(), "w"), nil); err != nil {
		t.Fatal(err)
	}
	want, _ := weights.Hash(whole)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "c")
	if _, err := train.Execute(ctx, j, newNet(t, j), data, dir, nil); !errors.Is(err, train.ErrInterrupted) {
		t.Fatalf("cancelled run: %v", err)
	}
	resumed := newNet(t, j)
	if _, err := train.Resume(context.Background(), dir, resumed, data, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := weights.Hash(resumed); got != want {
		t.Fatalf("cancelled and resumed: %s, never stopped: %s", got, want)
	}
}
