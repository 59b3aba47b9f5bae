package cli

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
	if err := job.Validate(); err != nil {
		return eval.LeaderRow{}, fmt.Errorf("run %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, train.WeightsFile)); err != nil {
		return eval.LeaderRow{}, fmt.Errorf("run %s has not finished (no %s): continue it with convnets train -resume %s", dir, train.WeightsFile, shellQuote(dir))
	}
	epochs, err := train.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		return eval.LeaderRow{}, err
	}
	if len(epochs) == 0 || len(epochs) != job.Epochs {
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
		MACs: s.MACs, Recipe: recipeLine(job, spec, train.DefaultReplicas(net)), Command: trainCommand(spec, job, train.DefaultReplicas(net)), Epochs: len(epochs),
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

// recipeLine is the job's training settings in one line, its replicas and
// width left out when they are the network's default.
func recipeLine(job train.Job, spec arch.Spec, defaultReplicas int) string {
	r := jobRecipe(job)
	if r.Replicas == defaultReplicas {
		r.Replicas = 0
	}
	if r.Width == spec.Default.Width {
		r.Width = 0
	}
	return r.String()
}

// jobRecipe is the training part of a job as a recipe.
func jobRecipe(job train.Job) arch.Recipe {
	return arch.Recipe{Dataset: job.Dataset, Width: job.Width, Opt: job.Opt.Name, LR: job.Opt.LR, Momentum: job.Opt.Momentum, Trust: job.Opt.Trust,
		WeightDecay: job.Opt.WeightDecay, Schedule: job.Schedule.Name, Warmup: job.Schedule.Warmup, Epochs: job.Epochs, Batch: job.Batch,
		Shift: job.Shift, CropPad: job.CropPad, Flip: job.Flip, Normalize: job.Normalize != nil, Replicas: job.Replicas, Val: job.Val}
}

// trainCommand is the command line that makes job: the preset and dataset,
// and every setting in which the job differs from what train would take
// from the preset's recipe for that dataset and the flags' defaults;
// defaultReplicas is what the job would get without -replicas.
func trainCommand(spec arch.Spec, job train.Job, defaultReplicas int) string {
	cmd := "go run ./cmd/convnets train -arch " + job.Arch
	if job.Dataset != "" && (job.Dataset != datasets.Default || job.Data != "") {
		cmd += " -dataset " + job.Dataset
	}
	if job.Data != "" {
		cmd += " -data " + shellQuote(job.Data)
	}
	want := map[string]string{} // what train takes for each flag not given
	wantWidth := spec.Default.Width
	fs := flag.NewFlagSet("defaults", flag.ContinueOnError)
	addJobFlags(fs, 8)
	fs.VisitAll(func(f *flag.Flag) { want[f.Name] = f.DefValue })
	want["replicas"] = strconv.Itoa(defaultReplicas)
	name := job.Dataset
	if name == "" && job.Data == "" {
		name = datasets.Default
	}
	if r, ok := spec.Recipe(name); ok && name != "" {
		if r.Opt != job.Opt.Name {
			want["opt"] = r.Opt // given as a flag below: the recipe's optimizer settings then do not apply
		}
		for _, st := range recipeSettings(r, job.Opt.Name) {
			want[st.Flag] = st.Value
		}
		if r.Width != 0 {
			wantWidth = r.Width
		}
		if r.Replicas == 0 {
			want["replicas"] = strconv.Itoa(defaultReplicas)
		}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	have := []arch.Setting{{Flag: "opt", Value: job.Opt.Name}, {Flag: "lr", Value: f(job.Opt.LR)}}
	if job.Opt.Name == "sgd" || job.Opt.Name == "lars" {
		have = append(have, arch.Setting{Flag: "momentum", Value: f(job.Opt.Momentum)})
	}
	if job.Opt.Name == "lars" {
		have = append(have, arch.Setting{Flag: "trust", Value: f(job.Opt.Trust)})
	}
	have = append(have, []arch.Setting{{Flag: "wd", Value: f(job.Opt.WeightDecay)}, {Flag: "schedule", Value: job.Schedule.Name},
		{Flag: "warmup", Value: f(job.Schedule.Warmup)}, {Flag: "epochs", Value: strconv.Itoa(job.Epochs)},
		{Flag: "batch", Value: strconv.Itoa(job.Batch)}, {Flag: "shift", Value: strconv.Itoa(job.Shift)},
		{Flag: "crop-pad", Value: strconv.Itoa(job.CropPad)}, {Flag: "flip", Value: strconv.FormatBool(job.Flip)},
		{Flag: "normalize", Value: strconv.FormatBool(job.Normalize != nil)}, {Flag: "val", Value: strconv.Itoa(job.Val)},
		{Flag: "replicas", Value: strconv.Itoa(max(job.Replicas, 1))}}...)
	if want["replicas"] == "0" || want["replicas"] == "-1" {
		want["replicas"] = strconv.Itoa(defaultReplicas)
	}
	for _, s := range have {
		if want[s.Flag] != s.Value {
			cmd += " " + flagArg(s)
		}
	}
	if job.Width != wantWidth {
		cmd += " -width " + f(job.Width)
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

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
