package jobs

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
)

// LeaderRow reads one finished run for a leaderboard: its job, its
// metrics, its network's costs and the command that repeats it.
func LeaderRow(reg *arch.Registry, dir string) (eval.LeaderRow, error) {
	job, err := train.ReadJob(dir)
	if err != nil {
		return eval.LeaderRow{}, err
	}
	if err := job.Validate(); err != nil {
		return eval.LeaderRow{}, fmt.Errorf("run %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, train.WeightsFile)); err != nil {
		return eval.LeaderRow{}, fmt.Errorf("run %s has not finished (no %s): continue it with convnets train -resume %s", dir, train.WeightsFile, ShellQuote(dir))
	}
	epochs, err := train.ReadMetrics(filepath.Join(dir, train.MetricsFile))
	if err != nil {
		return eval.LeaderRow{}, err
	}
	if len(epochs) == 0 || len(epochs) != job.Epochs {
		return eval.LeaderRow{}, fmt.Errorf("run %s: metrics.csv has %d epochs, job.json %d", dir, len(epochs), job.Epochs)
	}
	spec, err := reg.Lookup(job.Arch)
	if err != nil {
		return eval.LeaderRow{}, err
	}
	net, err := spec.New(Config(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return eval.LeaderRow{}, err
	}
	s := eval.Summarize(job.Arch, net)
	last := epochs[len(epochs)-1]
	row := eval.LeaderRow{Run: dir, Arch: job.Arch, Dataset: job.Dataset, Input: job.Input, Params: s.Params, NonTrainable: s.NonTrainable,
		MACs: s.MACs, Recipe: recipeLine(job, spec, train.DefaultReplicas(net)), Command: Command(spec, job, train.DefaultReplicas(net)), Epochs: len(epochs),
		TestAccuracy: last.TestAcc, TestLoss: last.TestLoss, EpochSecondsMin: math.Inf(1)}
	for _, ep := range epochs {
		row.Seconds += ep.Seconds
		row.EpochSecondsMin = min(row.EpochSecondsMin, ep.Seconds)
		row.EpochSecondsMax = max(row.EpochSecondsMax, ep.Seconds)
	}
	if !math.IsNaN(last.ValAcc) {
		v := last.ValAcc
		row.ValAccuracy = &v
	}
	row.SetD2L()
	return row, nil
}

// recipeLine is the job's training settings in one line, its replicas and
// width left out when they are the network's default.
func recipeLine(job train.Job, spec arch.Spec, defaultReplicas int) string {
	return RecipeOf(job, defaultReplicas, spec.Default.Width).String()
}

// RecipeOf is the training settings of job as a recipe, its replicas and
// width left out where they are the network's defaults (defaultReplicas,
// defaultWidth).
func RecipeOf(job train.Job, defaultReplicas int, defaultWidth float64) arch.Recipe {
	r := jobRecipe(job)
	if r.Replicas == defaultReplicas || r.Replicas < 0 {
		r.Replicas = 0
	}
	if r.Width == defaultWidth {
		r.Width = 0
	}
	return r
}

// jobRecipe is the training part of a job as a recipe.
func jobRecipe(job train.Job) arch.Recipe {
	return arch.Recipe{Dataset: job.Dataset, Width: job.Width, Opt: job.Opt.Name, LR: job.Opt.LR, Momentum: job.Opt.Momentum, Trust: job.Opt.Trust,
		WeightDecay: job.Opt.WeightDecay, Schedule: job.Schedule.Name, Warmup: job.Schedule.Warmup, Epochs: job.Epochs, Batch: job.Batch,
		Shift: job.Shift, CropPad: job.CropPad, Flip: job.Flip, Normalize: job.Normalize != nil, Replicas: job.Replicas, Val: job.Val}
}

// ShellQuote quotes s for a POSIX shell when it needs it.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Leaderboard tabulates the finished runs in dirs, a row each, after the
// rows of the leaderboard file from (written earlier as JSON) when it is
// not empty; title, when not empty, replaces its title.
func Leaderboard(reg *arch.Registry, dirs []string, from, title string) (*eval.Leaderboard, error) {
	lb := &eval.Leaderboard{Title: title, D2L: eval.D2LSource}
	if from != "" {
		var err error
		if lb, err = eval.ReadLeaderboard(from); err != nil {
			return nil, err
		}
		if title != "" {
			lb.Title = title
		}
	}
	for _, dir := range dirs {
		row, err := LeaderRow(reg, dir)
		if err != nil {
			return nil, err
		}
		lb.Rows = append(lb.Rows, row)
	}
	return lb, nil
}
