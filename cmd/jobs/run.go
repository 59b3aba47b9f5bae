package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/eval/plots"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// Output is where a run reports: Log gets its messages (what it trains,
// where it resumes), Warn its warnings, Progress its steps and epochs. A
// nil writer discards.
type Output struct {
	Log, Warn io.Writer
	Progress  train.Progress
}

func (o Output) log() io.Writer  { return orDiscard(o.Log) }
func (o Output) warn() io.Writer { return orDiscard(o.Warn) }

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// Run loads the job's data, builds spec and trains it into the new run
// directory dir, then writes the run's report and plots. A job's Replicas
// below 0 asks for the network's default (train.DefaultReplicas); a
// Normalize of zeros for the training images' own statistics.
func Run(ctx context.Context, spec arch.Spec, job train.Job, dir string, out Output) ([]train.EpochStats, error) {
	if check := job; check.Replicas < 0 {
		check.Replicas = 0
		if err := check.Validate(); err != nil {
			return nil, err
		}
	}
	if err := datasets.Bind(&job); err != nil {
		return nil, err
	}
	if src, err := datasets.Lookup(job.Dataset); err == nil && job.Flip && !src.Mirrorable {
		fmt.Fprintf(out.warn(), "warning: -flip on %s: a mirrored image of this dataset may not be of its class\n", job.Dataset)
	}
	norm := job.Normalize
	job.Normalize = nil
	d, err := datasets.Load(job, "")
	if err != nil {
		return nil, err
	}
	if norm != nil && *norm == (train.Normalization{}) {
		if norm, err = datasets.Stats(d); err != nil {
			return nil, err
		}
	}
	job.Normalize = norm
	datasets.Normalise(d, norm)
	net, err := spec.New(Config(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return nil, err
	}
	if job.Replicas < 0 {
		job.Replicas = train.DefaultReplicas(net)
	}
	if err := job.Validate(); err != nil {
		return nil, err
	}
	fmt.Fprintf(out.log(), "training %s on %s, %d images (test %d) for %d epochs, batch %d, %s lr %g, seed %d; run directory %s\n",
		job.Arch, datasetName(job), d.Train.Len(), d.Test.Len(), job.Epochs, job.Batch, job.Opt.Name, job.Opt.LR, job.Seed, dir)
	history, err := train.Execute(ctx, job, net, d, dir, out.Progress)
	if err != nil {
		return history, interrupted(err, dir)
	}
	if !RankZero(ctx) {
		return history, nil
	}
	return history, WriteReport(dir, job, net, history)
}

// Resume continues the run in dir from its last checkpoint, with its data
// from the folder data when that is not empty, and writes its report when
// it finishes. It returns the epochs it ran (none when the run had
// finished).
func Resume(ctx context.Context, reg *arch.Registry, dir, data string, out Output) ([]train.EpochStats, error) {
	job, err := train.ReadJob(dir)
	if err != nil {
		return nil, err
	}
	spec, err := reg.Lookup(job.Arch)
	if err != nil {
		return nil, err
	}
	if err := CheckRun(job); err != nil {
		return nil, fmt.Errorf("run %s: %w", dir, err)
	}
	d, err := datasets.Load(job, data)
	if err != nil {
		return nil, err
	}
	net, err := spec.New(Config(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out.log(), "resuming %s in %s\n", job.Arch, dir)
	history, err := train.Resume(ctx, dir, net, d, out.Progress)
	if err != nil {
		return history, interrupted(err, dir)
	}
	if len(history) > 0 && RankZero(ctx) {
		err = WriteReport(dir, job, net, history)
	}
	return history, err
}

// RankZero says whether this process writes files and prints progress:
// always, but under MPI only rank 0.
func RankZero(ctx context.Context) bool {
	c := graph.CommFrom(ctx)
	return c == nil || c.Rank() == 0
}

// interrupted adds the command that resumes an interrupted run.
func interrupted(err error, dir string) error {
	if errors.Is(err, train.ErrInterrupted) {
		return fmt.Errorf("%w; continue with: convnets train -resume %s", err, ShellQuote(dir))
	}
	return err
}

// WriteReport writes report.md and the plots of a finished run.
func WriteReport(dir string, job train.Job, net *graph.Net, history []train.EpochStats) error {
	last := history[len(history)-1]
	acc, err := eval.Score(last.Test, job.Classes)
	if err != nil {
		return err
	}
	epochs, err := train.ReadMetrics(filepath.Join(dir, train.MetricsFile))
	if err != nil {
		return err
	}
	name := job.Dataset
	if name == "" { // a run made before datasets had names, or a folder of other files
		if hashes, err := datasets.Hash(job.Data); err == nil {
			name = datasets.Identify(hashes)
		}
	}
	acc.Classes = datasets.ClassNames(name, job.Classes)
	title := datasets.Title(name)
	if name == "" {
		title = "the IDX files in " + job.Data
	}
	return plots.WriteRunReport(dir, eval.Run{Job: job, Epochs: epochs, Test: acc, Summary: eval.Summarize(job.Arch, net),
		DatasetTitle: title})
}

// datasetName is how messages name a job's data.
func datasetName(job train.Job) string {
	if job.Dataset != "" {
		return job.Dataset
	}
	return job.Data
}
