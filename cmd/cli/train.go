package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/convnets/convnets/arch"
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
	log := jobs.NewProgress(e.stdout, e.stderr, *quiet || !rankZero(ctx)) // under MPI, rank 0 alone shows progress
	if *resume != "" {
		return withProfile(ctx, *cpuProfile, "", func() error { return resumeRun(ctx, e, jf, *resume, log) })
	}
	spec, job, err := trainJob(e, jf, *archName, *width, *aux, *jobFile)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-%s", spec.Name, time.Now().Format("20060102-150405")))
	}
	return withProfile(ctx, *cpuProfile, dir, func() error {
		history, err := jobs.Run(ctx, spec, job, dir, jobs.Output{Log: e.stdout, Warn: e.stderr, Progress: log})
		return printDone(e, dir, history, err)
	})
}

// trainJob resolves the job of train's flags: the architecture's recipe
// for the dataset unless a job file is given, then the file, then the
// flags given.
func trainJob(e *env, jf *jobs.Flags, archName string, width float64, aux bool, jobFile string) (arch.Spec, train.Job, error) {
	spec, err := e.reg.Lookup(archName)
	if err != nil {
		return spec, train.Job{}, usageError{err}
	}
	if jobFile == "" {
		if r, ok, err := jf.ApplyRecipe(spec); err != nil {
			return spec, train.Job{}, err
		} else if ok {
			fmt.Fprintf(e.stdout, "recipe of %s for %s (flags given win): %s\n", spec.Name, r.Dataset, r)
		}
	}
	ac, err := jobs.ArchConfig(spec, "", 0, width, aux)
	if err != nil {
		return spec, train.Job{}, usageError{err}
	}
	job, spec, err := jf.Job(e.reg, spec, ac, jobFile)
	return spec, job, err
}

// withProfile runs f under a CPU profile written to path (none when path
// is empty, or on MPI ranks other than 0); dir, when not empty, is the run
// directory f will create, checked first: a profile path inside an
// earlier run (its weights.ckpt, say) must not be touched before that run
// is refused.
func withProfile(ctx context.Context, path, dir string, f func() error) error {
	if path == "" || !rankZero(ctx) {
		return f()
	}
	stop, err := startProfile(path, dir)
	if err != nil {
		return err
	}
	defer stop()
	return f()
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

// resumeRun continues the run in dir; of the flags, only -quiet and -data
// may be given with -resume.
func resumeRun(ctx context.Context, e *env, jf *jobs.Flags, dir string, log train.Progress) error {
	for name := range jf.Given() {
		if name != "resume" && name != "quiet" && name != "data" && name != "cpuprofile" {
			return usageError{fmt.Errorf("-resume takes the settings of the run's job.json: give no other flag but -quiet, -data and -cpuprofile")}
		}
	}
	history, err := jobs.Resume(ctx, e.reg, dir, jf.Data(), jobs.Output{Log: e.stdout, Warn: e.stderr, Progress: log})
	return printDone(e, dir, history, err)
}

// startProfile starts a CPU profile into path, after checking that dir,
// when not empty, may become a new run directory; stop ends it.
func startProfile(path, dir string) (stop func(), err error) {
	if dir != "" {
		if err := train.CheckNewRunDir(dir); err != nil {
			return nil, err
		}
	}
	// A new file only: a profile must never overwrite a checkpoint, a job
	// file or anything else that is already there.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, usageError{fmt.Errorf("-cpuprofile %s: the file exists; remove it or name a new one", path)}
	}
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
