package jobs

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
	"github.com/convnets/convnets/train/onnx"
	"github.com/convnets/convnets/train/weights"
)

// Exported says what Export wrote.
type Exported struct {
	Arch    string
	Tensors int
	Values  int64
}

// Export writes the weights of the run in dir that which names (see
// CheckpointFile) to out: as safetensors in PyTorch's names and layouts for
// a name ending in .safetensors, as an ONNX model (the network and its
// weights, evaluation mode) for .onnx; the architecture, its
// configuration, the class names and the preprocessing go into the
// metadata either way.
func Export(reg *arch.Registry, dir, which, out string) (Exported, error) {
	if err := CheckExportName(out); err != nil {
		return Exported{}, err
	}
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
	meta, err := exportMeta(job, file)
	if err != nil {
		return Exported{}, err
	}
	if strings.HasSuffix(out, ".safetensors") {
		meta["format"] = "pt" // safetensors' key for PyTorch tensors
	}
	if strings.HasSuffix(out, ".onnx") {
		b, err := onnx.Export(net, meta)
		if err != nil {
			return Exported{}, err
		}
		if err := weights.WriteFileAtomic(out, b); err != nil {
			return Exported{}, err
		}
	} else if err := weights.WriteSafetensors(out, tensors, meta); err != nil {
		return Exported{}, err
	}
	x := Exported{Arch: job.Arch, Tensors: len(tensors)}
	for _, t := range tensors {
		x.Values += int64(len(t.Data))
	}
	return x, nil
}

// exportMeta is an export's metadata: the architecture, its configuration
// with the class names and normalisation, the preprocessing, which weights
// and the dataset.
func exportMeta(job train.Job, file string) (map[string]string, error) {
	cfg, err := json.Marshal(ExportConfig{Input: job.Input, Classes: job.Classes, Width: job.Width, Aux: job.Aux,
		ClassNames: datasets.ClassNames(job.Dataset, job.Classes), Normalize: job.Normalize})
	if err != nil {
		return nil, err
	}
	meta := map[string]string{
		"producer":      "convnets",
		"arch":          job.Arch,
		"config":        string(cfg),
		"preprocessing": train.Preprocessing(job.Normalize),
		"checkpoint":    file,
	}
	if job.Dataset != "" {
		meta["dataset"] = job.Dataset
	}
	return meta, nil
}

// CheckExportName refuses an output name Export cannot write: one that
// ends neither in .safetensors nor in .onnx.
func CheckExportName(out string) error {
	if out == "" || (!strings.HasSuffix(out, ".safetensors") && !strings.HasSuffix(out, ".onnx")) {
		return InputError{fmt.Errorf("-o %q: want a name ending in .safetensors or .onnx", out)}
	}
	return nil
}
