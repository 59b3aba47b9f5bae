package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/mnist"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	runDir := fs.String("run", "", "run directory written by convnets train (required)")
	data := fs.String("data", "", "MNIST folder (default: the run's)")
	asJSON := fs.Bool("json", false, "print a JSON object")
	which := fs.String("checkpoint", "final", "which weights: final (weights.ckpt), last (last.ckpt) or best (best.ckpt, by validation accuracy)")
	if err := parse(e, fs, "convnets eval -run runs/lenet5-relu-20261127-120000 -json", args); err != nil {
		return err
	}
	if *runDir == "" {
		return usageError{errRequired("-run")}
	}
	files := map[string]string{"final": train.WeightsFile, "last": train.LastCheckpoint, "best": train.BestCheckpoint}
	file, ok := files[*which]
	if !ok {
		return usageError{fmt.Errorf("-checkpoint %q: want final, last or best", *which)}
	}
	job, err := train.ReadJob(*runDir)
	if err != nil {
		return err
	}
	spec, err := e.reg.Lookup(job.Arch)
	if err != nil {
		return err
	}
	if *data != "" {
		job.Data = *data
	}
	d, err := mnist.JobData(job.Data, job.LimitTrain, job.LimitTest, job.Val)
	if err == nil {
		d, err = d.Fit(job.Input)
	}
	if err != nil {
		return err
	}
	net, err := spec.New(jobConfig(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return err
	}
	if err := net.Init(job.Seed); err != nil {
		return err
	}
	p, err := graph.Compile(net)
	if err != nil {
		return err
	}
	defer p.Close()
	path := filepath.Join(*runDir, file)
	ck, err := train.ReadCheckpoint(path)
	if err != nil {
		return err
	}
	if err := train.LoadInto(net, ck, path); err != nil {
		return err
	}
	acc, err := eval.Evaluate(p, d.Test)
	if err != nil {
		return err
	}
	if *asJSON {
		hash, err := train.WeightsHash(net)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Arch string `json:"arch"`
			Run  string `json:"run"`
			*eval.Accuracy
			WeightsSHA256 string `json:"weights_sha256"`
		}{job.Arch, *runDir, acc, hash})
	}
	return acc.Write(e.stdout)
}

type errRequired string

func (e errRequired) Error() string { return "flag " + string(e) + " is required" }
