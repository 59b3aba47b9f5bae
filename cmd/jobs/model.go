package jobs

import (
	"cmp"
	"fmt"
	"path/filepath"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
	"github.com/convnets/convnets/train/weights"
)

// Model is a compiled network with its weights loaded, and the test set of
// the job that trained it. Close it when done.
type Model struct {
	// Arch is the architecture's registered name.
	Arch string
	// Job is the job of the run, or the one made up for a weights file.
	Job     train.Job
	Net     *graph.Net
	Program *graph.Program
	Test    *train.Dataset
	// Source says where the weights came from: "the final weights of the
	// run R, trained on D" or "the weights in F".
	Source string
}

// Close frees the compiled program.
func (m *Model) Close() { m.Program.Close() }

// OpenRun loads the weights of the run in dir that which names (final,
// last or best; see CheckpointFile) into its network, with its test set
// (from the folder data when it is not empty; its files must have the
// run's hashes).
func OpenRun(reg *arch.Registry, dir, which, data string) (*Model, error) {
	file, err := CheckpointFile(which)
	if err != nil {
		return nil, err
	}
	job, err := train.ReadJob(dir)
	if err != nil {
		return nil, err
	}
	if err := CheckRun(job); err != nil {
		return nil, fmt.Errorf("run %s: %w", dir, err)
	}
	m, err := Compile(reg, job, data)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, file)
	if err := weights.LoadRunWeights(m.Net, job.Arch, path); err != nil {
		m.Close()
		return nil, err
	}
	m.Source = fmt.Sprintf("the %s weights of the run %s, trained on %s", which, dir, cmp.Or(job.Dataset, job.Data))
	return m, nil
}

// CheckRun checks the job.json of a run: every field valid, and the hashes
// of the data that every run on a named dataset records (only runs made
// before datasets had names lack them).
func CheckRun(job train.Job) error {
	if err := job.Validate(); err != nil {
		return err
	}
	if job.Dataset != "" && job.DataSHA256 == nil {
		return fmt.Errorf(`job: "data_sha256" is missing: a run on %s records the hashes of its files`, job.Dataset)
	}
	return nil
}

// Compile builds and compiles the job's network (initialised from its
// seed, to be overwritten) and loads its test set (from the folder data
// when it is not empty).
func Compile(reg *arch.Registry, job train.Job, data string) (*Model, error) {
	spec, err := reg.Lookup(job.Arch)
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
	net, p, err := CompileSpec(spec, Config(job), job.Batch, job.Seed, 1)
	if err != nil {
		return nil, err
	}
	return &Model{Arch: job.Arch, Job: job, Net: net, Program: p, Test: d.Test}, nil
}

// CompileSpec builds spec at c for batch, initialised from seed, and
// compiles it with the given data-parallel replicas (-1: the default,
// train.DefaultReplicas).
func CompileSpec(spec arch.Spec, c arch.Config, batch int, seed uint64, replicas int) (*graph.Net, *graph.Program, error) {
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

// CheckpointFile is the file of a run that which names: "final"
// (weights.ckpt), "last" (last.ckpt) or "best" (best.ckpt, by validation
// accuracy).
func CheckpointFile(which string) (string, error) {
	files := map[string]string{"final": train.WeightsFile, "last": train.LastCheckpoint, "best": train.BestCheckpoint}
	if file, ok := files[which]; ok {
		return file, nil
	}
	return "", InputError{fmt.Errorf("-checkpoint %q: want final, last or best", which)}
}

// Evaluation is a model's accuracy on its test set, with what was
// evaluated and the SHA-256 of its weights (eval -json).
type Evaluation struct {
	Arch    string `json:"arch"`
	Run     string `json:"run,omitempty"`
	Weights string `json:"weights,omitempty"`
	*eval.Accuracy
	WeightsSHA256 string `json:"weights_sha256,omitempty"`
}

// Evaluate measures m's accuracy on its test set, with the weights' hash
// when withHash; run or file (one of them) names where its weights came
// from.
func (m *Model) Evaluate(run, file string, withHash bool) (*Evaluation, error) {
	acc, err := eval.Evaluate(m.Program, m.Test)
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{Arch: m.Arch, Run: run, Weights: file, Accuracy: acc}
	if withHash {
		if ev.WeightsSHA256, err = weights.Hash(m.Net); err != nil {
			return nil, err
		}
	}
	return ev, nil
}
