package jobs

import (
	"encoding/json"
	"path/filepath"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
	"github.com/convnets/convnets/train/weights"
)

// Exported says what Export wrote.
type Exported struct {
	Arch    string
	Tensors int
	Values  int64
}

// Export writes the weights of the run in dir that which names (see
// CheckpointFile) to out as safetensors in PyTorch's names and layouts,
// with the architecture, its configuration, the class names and the
// preprocessing in the metadata.
func Export(reg *arch.Registry, dir, which, out string) (Exported, error) {
	file, err := CheckpointFile(which)
	if err != nil {
		return Exported{}, err
	}
	job, err := train.ReadJob(dir)
	if err != nil {
		return Exported{}, err
	}
	spec, err := reg.Lookup(job.Arch)
	if err != nil {
		return Exported{}, err
	}
	net, err := spec.New(Config(job), graph.Config{Batch: 1})
	if err != nil {
		return Exported{}, err
	}
	if err := net.Init(job.Seed); err != nil {
		return Exported{}, err
	}
	if err := weights.LoadRunWeights(net, job.Arch, filepath.Join(dir, file)); err != nil {
		return Exported{}, err
	}
	tensors, err := weights.TorchState(net)
	if err != nil {
		return Exported{}, err
	}
	cfg, err := json.Marshal(ExportConfig{Input: job.Input, Classes: job.Classes, Width: job.Width, Aux: job.Aux,
		ClassNames: datasets.ClassNames(job.Dataset, job.Classes), Normalize: job.Normalize})
	if err != nil {
		return Exported{}, err
	}
	meta := map[string]string{
		"format":        "pt",
		"producer":      "convnets",
		"arch":          job.Arch,
		"config":        string(cfg),
		"preprocessing": train.Preprocessing(job.Normalize),
		"checkpoint":    file,
	}
	if job.Dataset != "" {
		meta["dataset"] = job.Dataset
	}
	if err := weights.WriteSafetensors(out, tensors, meta); err != nil {
		return Exported{}, err
	}
	x := Exported{Arch: job.Arch, Tensors: len(tensors)}
	for _, t := range tensors {
		x.Values += int64(len(t.Data))
	}
	return x, nil
}
