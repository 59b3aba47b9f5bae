package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	runDir := fs.String("run", "", "run directory written by convnets train")
	weights := fs.String("weights", "", "evaluate a safetensors file (convnets export, or PyTorch's save_file) instead of a run")
	archName := fs.String("arch", "", "with -weights: the architecture (default: the file's metadata)")
	width := fs.Float64("width", 0, "with -weights: width multiplier (default: the file's metadata, else the architecture's)")
	batch := fs.Int("batch", 64, "with -weights: images per forward pass")
	data := fs.String("data", "", "folder of the dataset's four IDX files (default: the run's dataset, found as train finds it; its files must have the run's hashes)")
	dataset := fs.String("dataset", "", "with -weights: the dataset to evaluate on (default: the file's metadata, else mnist)")
	asJSON := fs.Bool("json", false, "print a JSON object")
	which := fs.String("checkpoint", "final", "which weights of -run: final (weights.ckpt), last (last.ckpt) or best (best.ckpt, by validation accuracy)")
	if err := parse(e, fs, "convnets eval -run runs/lenet5-relu-20261127-120000 -json\n  convnets eval -weights model.safetensors -arch lenet5-relu", args); err != nil {
		return err
	}
	var (
		m   *model
		err error
	)
	switch {
	case (*runDir == "") == (*weights == ""):
		return usageError{fmt.Errorf("give -run DIR or -weights FILE")}
	case *runDir != "" && *dataset != "":
		return usageError{fmt.Errorf("-dataset goes with -weights: a run evaluates on its own dataset (-data DIR for another copy of it)")}
	case *runDir != "":
		if m, err = loadRun(e, *runDir, *which, *data); err != nil {
			return err
		}
	default:
		if *batch <= 0 {
			return usageError{fmt.Errorf("-batch %d: must be positive", *batch)}
		}
		if m, err = loadWeights(e, *weights, *archName, *width, *batch, *dataset, *data); err != nil {
			return err
		}
	}
	defer m.p.Close()
	acc, err := eval.Evaluate(m.p, m.test)
	if err != nil {
		return err
	}
	if *asJSON {
		hash, err := train.WeightsHash(m.net)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Arch    string `json:"arch"`
			Run     string `json:"run,omitempty"`
			Weights string `json:"weights,omitempty"`
			*eval.Accuracy
			WeightsSHA256 string `json:"weights_sha256"`
		}{m.arch, *runDir, *weights, acc, hash})
	}
	return acc.Write(e.stdout)
}

// model is a compiled network with its weights loaded and its test set.
type model struct {
	arch string
	job  train.Job
	net  *graph.Net
	p    *graph.Program
	test *train.Dataset
}

// loadRun loads the weights of a run directory (final, last or best).
func loadRun(e *env, dir, which, data string) (*model, error) {
	file, err := checkpointFile(which)
	if err != nil {
		return nil, err
	}
	job, err := train.ReadJob(dir)
	if err != nil {
		return nil, err
	}
	if err := checkRunJob(job); err != nil {
		return nil, fmt.Errorf("run %s: %w", dir, err)
	}
	m, err := compileJob(e, job, data)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, file)
	if err := train.LoadRunWeights(m.net, job.Arch, path); err != nil {
		m.p.Close()
		return nil, err
	}
	return m, nil
}

// checkRunJob checks the job.json of a run: every field valid, and the
// hashes of the data that every run on a named dataset records (only runs
// made before datasets had names lack them).
func checkRunJob(job train.Job) error {
	if err := job.Validate(); err != nil {
		return err
	}
	if job.Dataset != "" && job.DataSHA256 == nil {
		return fmt.Errorf(`job: "data_sha256" is missing: a run on %s records the hashes of its files`, job.Dataset)
	}
	return nil
}

// compileJob builds and compiles the job's network (initialised from its
// seed, to be overwritten) and loads its test set (from the folder data
// when it is not empty).
func compileJob(e *env, job train.Job, data string) (*model, error) {
	spec, err := e.reg.Lookup(job.Arch)
	if err != nil {
		return nil, err
	}
	d, err := datasets.Load(job, data)
	if err == nil {
		d, err = d.Fit(job.Input)
	}
	if err != nil {
		return nil, err
	}
	net, p, err := compileSpec(spec, jobConfig(job), job.Batch, job.Seed, 1)
	if err != nil {
		return nil, err
	}
	return &model{arch: job.Arch, job: job, net: net, p: p, test: d.Test}, nil
}

// compileSpec builds spec at c for batch, initialised from seed, and
// compiles it with the given data-parallel replicas (-1: the default,
// train.DefaultReplicas).
func compileSpec(spec arch.Spec, c arch.Config, batch int, seed uint64, replicas int) (*graph.Net, *graph.Program, error) {
	net, err := spec.New(c, graph.Config{Batch: batch})
	if err != nil {
		return nil, nil, err
	}
	if err := net.Init(seed); err != nil {
		return nil, nil, err
	}
	if replicas < 0 {
		replicas = train.DefaultReplicas(net)
	}
	p, err := graph.CompileReplicas(net, replicas)
	return net, p, err
}

// checkpointFile is the file of a run that -checkpoint names.
func checkpointFile(which string) (string, error) {
	files := map[string]string{"final": train.WeightsFile, "last": train.LastCheckpoint, "best": train.BestCheckpoint}
	if file, ok := files[which]; ok {
		return file, nil
	}
	return "", usageError{fmt.Errorf("-checkpoint %q: want final, last or best", which)}
}

type errRequired string

func (e errRequired) Error() string { return "flag " + string(e) + " is required" }
