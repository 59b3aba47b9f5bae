package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

func runLeaderboard(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("leaderboard", flag.ContinueOnError)
	var dirs runs
	fs.Var(&dirs, "run", "a finished run directory (repeat: one row each, in this order)")
	title := fs.String("title", "", "a line above the Markdown table")
	out := fs.String("o", "", "write to FILE instead of standard output")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	asMD := fs.Bool("md", false, "print Markdown: the table, then each run's command")
	from := fs.String("from", "", "render a leaderboard written earlier with -json (instead of -run)")
	if err := parse(e, fs, "convnets leaderboard -run runs/fashion/lenet5 -run runs/fashion/vgg11-mnist -json -o board.json\n"+
		"  convnets leaderboard -from board.json -md", args); err != nil {
		return err
	}
	if (len(dirs) == 0) == (*from == "") {
		return usageError{fmt.Errorf("give -run DIR (one or more) or -from FILE")}
	}
	format, err := outputFormat(*asJSON, *asCSV, *asMD)
	if err != nil {
		return err
	}
	lb := &eval.Leaderboard{Title: *title, D2L: eval.D2LSource}
	if *from != "" {
		if lb, err = eval.ReadLeaderboard(*from); err != nil {
			return err
		}
		if *title != "" {
			lb.Title = *title
		}
	}
	for _, dir := range dirs {
		row, err := leaderRow(e, dir)
		if err != nil {
			return err
		}
		lb.Rows = append(lb.Rows, row)
	}
	w := e.stdout
	if *out != "" {
		f, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".tmp-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		if err := lb.Write(f, format); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		return os.Rename(f.Name(), *out)
	}
	return lb.Write(w, format)
}

// leaderRow reads one finished run: its job, its metrics and its
// network's costs.
func leaderRow(e *env, dir string) (eval.LeaderRow, error) {
	job, err := train.ReadJob(dir)
	if err != nil {
		return eval.LeaderRow{}, err
	}
	if _, err := os.Stat(filepath.Join(dir, train.WeightsFile)); err != nil {
		return eval.LeaderRow{}, fmt.Errorf("run %s has not finished (no %s): continue it with convnets train -resume %s", dir, train.WeightsFile, dir)
	}
	epochs, err := train.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		return eval.LeaderRow{}, err
	}
	if len(epochs) != job.Epochs {
		return eval.LeaderRow{}, fmt.Errorf("run %s: metrics.csv has %d epochs, job.json %d", dir, len(epochs), job.Epochs)
	}
	spec, err := e.reg.Lookup(job.Arch)
	if err != nil {
		return eval.LeaderRow{}, err
	}
	net, err := spec.New(jobConfig(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return eval.LeaderRow{}, err
	}
	s := eval.Summarize(job.Arch, net)
	last := epochs[len(epochs)-1]
	row := eval.LeaderRow{Run: dir, Arch: job.Arch, Dataset: job.Dataset, Input: job.Input, Params: s.Params, NonTrainable: s.NonTrainable,
		MACs: s.MACs, Recipe: recipeLine(job, train.DefaultReplicas(net)), Command: trainCommand(spec, job, train.DefaultReplicas(net)), Epochs: len(epochs),
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

// flagArg writes a setting as a command-line argument: "-flag value", or
// "-flag" and "-flag=false" for a boolean.
func flagArg(s arch.Setting) string {
	switch s.Value {
	case "true":
		return "-" + s.Flag
	case "false":
		return "-" + s.Flag + "=false"
	}
	return "-" + s.Flag + " " + s.Value
}

// recipeLine is the job's training settings in one line, its replicas left
// out when they are the network's default.
func recipeLine(job train.Job, defaultReplicas int) string {
	r := jobRecipe(job)
	if r.Replicas == defaultReplicas {
		r.Replicas = 0
	}
	return r.String()
}

// jobRecipe is the training part of a job as a recipe.
func jobRecipe(job train.Job) arch.Recipe {
	return arch.Recipe{Dataset: job.Dataset, Opt: job.Opt.Name, LR: job.Opt.LR, Momentum: job.Opt.Momentum, Trust: job.Opt.Trust,
		WeightDecay: job.Opt.WeightDecay, Schedule: job.Schedule.Name, Warmup: job.Schedule.Warmup, Epochs: job.Epochs, Batch: job.Batch,
		Shift: job.Shift, CropPad: job.CropPad, Flip: job.Flip, Normalize: job.Normalize != nil, Replicas: job.Replicas, Val: job.Val}
}

// trainCommand is the command line that makes job: the preset and dataset,
// and every setting in which the job differs from the preset's recipe for
// that dataset (or from the flags' defaults without one); defaultReplicas
// is what the job would get without -replicas.
func trainCommand(spec arch.Spec, job train.Job, defaultReplicas int) string {
	cmd := "go run ./cmd/convnets train -arch " + job.Arch
	if job.Dataset != "" && job.Dataset != datasets.Default {
		cmd += " -dataset " + job.Dataset
	}
	if job.Data != "" {
		cmd += " -data " + job.Data
	}
	base, ok := spec.Recipe(datasets.Default)
	if job.Dataset != "" {
		base, ok = spec.Recipe(job.Dataset)
	}
	if !ok {
		base = arch.Recipe{Opt: "adam", LR: 1e-3, Schedule: "cosine", Epochs: 8, Batch: 64, Shift: 1}
	}
	want := map[string]string{}
	for _, s := range base.Settings() {
		want[s.Flag] = s.Value
	}
	for _, s := range jobRecipe(job).Settings() {
		if s.Flag == "momentum" && job.Opt.Name == "adam" || s.Flag == "trust" && job.Opt.Name != "lars" {
			continue
		}
		if s.Flag == "replicas" && (job.Replicas == base.Replicas || base.Replicas == 0 && job.Replicas == defaultReplicas) {
			continue
		}
		if s.Flag == "momentum" && want[s.Flag] == "" && job.Opt.Momentum == 0.9 {
			continue // the flag's default
		}
		if want[s.Flag] != s.Value && !(want[s.Flag] == "" && (s.Value == "0" || s.Value == "false")) {
			cmd += " " + flagArg(s)
		}
	}
	if job.Width != spec.Default.Width {
		cmd += " -width " + strconv.FormatFloat(job.Width, 'g', -1, 64)
	}
	if job.Aux {
		cmd += " -aux"
	}
	if job.Seed != 1 {
		cmd += " -seed " + strconv.FormatUint(job.Seed, 10)
	}
	if job.LimitTrain != 0 {
		cmd += " -limit-train " + strconv.Itoa(job.LimitTrain)
	}
	if job.LimitTest != 0 {
		cmd += " -limit-test " + strconv.Itoa(job.LimitTest)
	}
	return cmd
}
