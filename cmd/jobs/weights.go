package jobs

import (
	"encoding/json"
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
	"github.com/convnets/convnets/train/weights"
)

// ExportConfig is the architecture configuration in a safetensors file's
// metadata ("config").
type ExportConfig struct {
	Input   [3]int  `json:"input"`
	Classes int     `json:"classes"`
	Width   float64 `json:"width,omitempty"`
	Aux     bool    `json:"aux,omitempty"`
	// ClassNames names the outputs in order.
	ClassNames []string `json:"class_names,omitempty"`
	// Normalize is the normalisation the network was trained with.
	Normalize *train.Normalization `json:"normalize,omitempty"`
}

// WeightsOptions say how to read a safetensors file; every field may be
// left zero but Batch.
type WeightsOptions struct {
	// Arch is the architecture (default: the file's metadata).
	Arch string
	// Width is the width multiplier (default: the file's metadata, else
	// the architecture's).
	Width float64
	// Batch is the images per forward pass.
	Batch int
	// Dataset is the test set's name (default: the file's metadata, else
	// MNIST); Data a folder of its IDX files instead of its own copy.
	Dataset, Data string
	// NoTestSet leaves the test set out (Model.Test nil): for classifying
	// images of one's own, where the dataset need not be on the machine.
	NoTestSet bool
}

// OpenWeights builds the architecture a safetensors file holds weights for
// (named by o.Arch or the file's metadata), loads them and the test set.
func OpenWeights(reg *arch.Registry, path string, o WeightsOptions) (*Model, error) {
	if o.Batch <= 0 {
		return nil, InputError{fmt.Errorf("-batch %d: must be positive", o.Batch)}
	}
	tensors, meta, err := weights.ReadSafetensors(path)
	if err != nil {
		return nil, err
	}
	name := o.Arch
	if name == "" {
		if name = meta["arch"]; name == "" {
			return nil, InputError{fmt.Errorf("%s names no architecture in its metadata: give -arch", path)}
		}
	}
	spec, err := reg.Lookup(name)
	if err != nil {
		return nil, InputError{err}
	}
	c, norm, err := metaConfig(spec, name, meta, path)
	if err != nil {
		return nil, err
	}
	if o.Width > 0 {
		c.Width = o.Width
	}
	dataset := o.Dataset
	if dataset == "" {
		dataset = meta["dataset"]
	}
	if _, err := datasets.Lookup(dataset); err != nil {
		if dataset != "" && dataset != meta["dataset"] {
			return nil, InputError{err} // the option names no dataset
		}
		dataset = "" // the metadata's name is unknown here
	}
	if dataset == "" && o.Data == "" {
		dataset = datasets.Default
	}
	job := train.Job{Arch: name, Input: c.Input, Classes: c.Classes, Width: c.Width, Aux: c.Aux, Batch: o.Batch, Seed: 1,
		Dataset: dataset, Data: o.Data, Normalize: norm}
	var m *Model
	if o.NoTestSet {
		net, p, err := CompileSpec(spec, c, job.Batch, job.Seed, 1)
		if err != nil {
			return nil, err
		}
		m = &Model{Arch: name, Job: job, Net: net, Program: p}
	} else if m, err = Compile(reg, job, ""); err != nil {
		return nil, err
	}
	if err := weights.LoadTorchState(m.Net, tensors, path); err != nil {
		m.Close()
		return nil, err
	}
	m.Source = "the weights in " + path
	return m, nil
}

// metaConfig is the configuration and normalisation a safetensors file's
// metadata records for the architecture name (spec's defaults when it
// records none, or records another architecture).
func metaConfig(spec arch.Spec, name string, meta map[string]string, path string) (arch.Config, *train.Normalization, error) {
	c := spec.Default
	raw, ok := meta["config"]
	if !ok || meta["arch"] != name {
		return c, nil, nil
	}
	var ec ExportConfig
	if err := json.Unmarshal([]byte(raw), &ec); err != nil {
		return c, nil, fmt.Errorf("%s: metadata config: %w", path, err)
	}
	c = arch.Config{Input: ec.Input, Classes: ec.Classes, Width: ec.Width, Aux: ec.Aux}
	if norm := ec.Normalize; norm != nil {
		if err := norm.Check(); err != nil {
			return c, nil, fmt.Errorf("%s: metadata normalize %+v: %w", path, *norm, err)
		}
	}
	return c, ec.Normalize, nil
}
