package train_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/weights"
)

// TestGOMAXPROCS: the same job gives the same weights on one core and on
// two, trained whole (the ops split their work) or by two replicas, with
// and without batch norm.
func TestGOMAXPROCS(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	for _, c := range []struct {
		arch     string
		replicas int
	}{{"lenet5-relu", 0}, {"lenet5-relu", 2}, {"lenet5-bn", 0}, {"lenet5-bn", 2}} {
		j := job(11, 2, 16)
		j.Arch, j.Replicas = c.arch, c.replicas
		replicas := c.replicas
		runtime.GOMAXPROCS(1)
		_, one := runJob(t, j)
		runtime.GOMAXPROCS(2)
		_, two := runJob(t, j)
		if one != two {
			t.Fatalf("%s, %d replicas: GOMAXPROCS=1: %s, GOMAXPROCS=2: %s", c.arch, replicas, one, two)
		}
	}
}

// TestDivergenceStops: a learning rate that explodes in the second epoch
// makes the loss non-finite; the run stops with an error naming the epoch
// and step, and the first epoch's checkpoint still loads.
func TestDivergenceStops(t *testing.T) {
	j := job(2, 3, 32)
	j.Opt = train.OptConfig{Name: "sgd", LR: 0.01}
	j.Schedule = train.Schedule{Name: "step", StepEvery: 1, Gamma: 1e30}
	dir := filepath.Join(t.TempDir(), "run")
	_, err := train.Execute(context.Background(), j, newNet(t, j), sampleData(t), dir, nil)
	if err == nil || !strings.Contains(err.Error(), "at epoch 2, step") {
		t.Fatalf("error %v, want a stop in epoch 2", err)
	}
	ck, err := weights.ReadCheckpoint(filepath.Join(dir, train.LastCheckpoint))
	if err != nil || ck.Meta.Epoch != 2 || ck.Meta.Pos != 0 {
		t.Fatalf("last checkpoint: %v, %+v", err, ck)
	}
}

// TestKilledWhileWriting starts a child process that writes checkpoints in
// a loop, kills it at several moments, and loads the checkpoint each time:
// the rename leaves the old file or the new one, never half of one.
func TestKilledWhileWriting(t *testing.T) {
	if os.Getenv("CONVNETS_WRITE_LOOP") != "" {
		writeLoop(os.Getenv("CONVNETS_WRITE_LOOP"))
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "c.ckpt")
	for i, wait := range []time.Duration{20 * time.Millisecond, 35 * time.Millisecond, 50 * time.Millisecond, 80 * time.Millisecond, 130 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWhileWriting$")
		cmd.Env = append(os.Environ(), "CONVNETS_WRITE_LOOP="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(wait)
		cmd.Process.Kill()
		cmd.Wait()
		// A child killed before its first rename (a loaded machine) leaves no
		// checkpoint, only a temporary file, which cleaning must remove too.
		if _, err := os.Stat(path); err == nil {
			if _, err := weights.ReadCheckpoint(path); err != nil {
				t.Fatalf("kill %d: %v", i, err)
			}
		}
		if err := train.CleanTemp(dir); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Fatalf("temporary files left after cleaning: %v", left)
	}
}

// writeLoop writes a 4 MB checkpoint to path again and again.
func writeLoop(path string) {
	data := make([]float32, 1<<20)
	for i := 0; ; i++ {
		for j := range data {
			data[j] = float32(i + j)
		}
		c := &weights.Checkpoint{Meta: weights.Meta{Arch: "loop", Epoch: i + 1}, Tensors: []weights.Tensor{{Name: "w", Shape: []int{len(data)}, Data: data}}}
		if err := weights.WriteCheckpoint(path, c); err != nil {
			os.Exit(3)
		}
	}
}
