package jobs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/train"
)

// A training job by architecture name, as `convnets train` runs it: into a
// run directory (job.json, checkpoints, metrics, report), then its final
// weights opened for evaluation and exported for PyTorch.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "jobs-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	reg := arch.Builtin()
	spec, err := reg.Lookup("lenet5-relu")
	if err != nil {
		fmt.Println(err)
		return
	}
	job := train.Job{Arch: spec.Name, Input: spec.Default.Input, Classes: spec.Default.Classes, Epochs: 2, Batch: 50,
		Opt: train.OptConfig{Name: "adam", LR: 0.003}, Schedule: train.Schedule{Name: "cosine"}, Seed: 1,
		Data: filepath.Join("..", "..", "testdata", "mnist"), Replicas: -1}
	run := filepath.Join(dir, "run")
	history, err := jobs.Run(context.Background(), spec, job, run, jobs.Output{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("epochs:", len(history))

	m, err := jobs.OpenRun(reg, run, "final", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()
	acc, err := eval.Evaluate(m.Program, m.Test)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("test images:", acc.N)
	fmt.Println("same accuracy as the run's last epoch:", acc.Accuracy == history[len(history)-1].TestAcc)

	x, err := jobs.Export(reg, run, "final", filepath.Join(dir, "lenet.safetensors"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("exported:", x.Arch, x.Tensors, "tensors,", x.Values, "values")
	// Output:
	// epochs: 2
	// test images: 500
	// same accuracy as the run's last epoch: true
	// exported: lenet5-relu 10 tensors, 61706 values
}

// The command that repeats a run, and its recipe: what a leaderboard shows.
func ExampleCommand() {
	spec, _ := arch.Builtin().Lookup("vgg11-mnist")
	r, _ := spec.Recipe("fashion-mnist")
	job := train.Job{Arch: spec.Name, Input: spec.Default.Input, Classes: 10, Width: r.Width, Epochs: r.Epochs, Batch: r.Batch,
		Opt: train.OptConfig{Name: r.Opt, LR: r.LR}, Schedule: train.Schedule{Name: r.Schedule}, Seed: 1, CropPad: r.CropPad,
		Flip: r.Flip, Dataset: "fashion-mnist", Replicas: 2}
	fmt.Println(jobs.Command(spec, job, 2))
	job.Epochs, job.Seed = 10, 3
	fmt.Println(jobs.Command(spec, job, 2))
	// Output:
	// go run ./cmd/convnets train -arch vgg11-mnist -dataset fashion-mnist
	// go run ./cmd/convnets train -arch vgg11-mnist -dataset fashion-mnist -epochs 10 -seed 3
}
