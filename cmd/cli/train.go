package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/train"
)

func runTrain(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	archName := fs.String("arch", "lenet5-relu", "architecture (see convnets list)")
	width := fs.Float64("width", 0, "width multiplier of the channel counts (default: the architecture's)")
	aux := fs.Bool("aux", false, "train the auxiliary classifiers of the Inception family too")
	jf := jobs.AddFlags(fs, 8)
	out := fs.String("out", "", "run directory (default runs/ARCH-TIME)")
	quiet := fs.Bool("quiet", false, "print only the epoch lines")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the run to FILE")
	jobFile := fs.String("job", "", "read the job from a JSON file with the keys of a run's job.json; flags given too override it")
	resume := fs.String("resume", "", "continue the run in DIR from its last checkpoint (its job.json holds the settings)")
	if err := parse(e, fs, "convnets train -arch lenet5-relu -epochs 8 -opt adam -lr 0.001 -schedule cosine -shift 1 -seed 1\n"+
		"  convnets train -job job.json -out runs/mine\n  convnets train -resume runs/mine", args); err != nil {
		return err
	}
	log := jobs.NewProgress(e.stdout, e.stderr, *quiet || !jobs.RankZero(ctx)) // under MPI, rank 0 alone shows progress
	if *resume != "" {
		if err := jf.CheckResume(); err != nil { // before the profile's file is made
			return err
		}
		return jobs.Profiled(ctx, *cpuProfile, "", func() error { return resumeRun(ctx, e, jf, *resume, log) })
	}
	spec, job, err := jf.TrainJob(e.reg, *archName, *width, *aux, *jobFile, e.stdout)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-%s", spec.Name, time.Now().Format("20060102-150405")))
	}
	return jobs.Profiled(ctx, *cpuProfile, dir, func() error {
		history, err := jobs.Run(ctx, spec, job, dir, jobs.Output{Log: e.stdout, Warn: e.stderr, Progress: log})
		return printDone(e, dir, history, err)
	})
}

// printDone reports a finished run.
func printDone(e *env, dir string, history []train.EpochStats, err error) error {
	if err != nil || len(history) == 0 {
		return err
	}
	last := history[len(history)-1]
	fmt.Fprintf(e.stdout, "done: test accuracy %.2f%% after %d epochs; weights in %s\n", 100*last.TestAcc, last.Epoch,
		filepath.Join(dir, train.WeightsFile))
	return nil
}

// resumeRun continues the run in dir (the flags checked by CheckResume).
func resumeRun(ctx context.Context, e *env, jf *jobs.Flags, dir string, log train.Progress) error {
	history, err := jobs.Resume(ctx, e.reg, dir, jf.Data(), jobs.Output{Log: e.stdout, Warn: e.stderr, Progress: log})
	return printDone(e, dir, history, err)
}
