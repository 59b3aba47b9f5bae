package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// exportConfig is the architecture configuration in a safetensors file's
// metadata ("config").
type exportConfig struct {
	Input   [3]int  `json:"input"`
	Classes int     `json:"classes"`
	Width   float64 `json:"width,omitempty"`
	Aux     bool    `json:"aux,omitempty"`
	// ClassNames names the outputs in order.
	ClassNames []string `json:"class_names,omitempty"`
	// Normalize is the normalisation the network was trained with.
	Normalize *train.Normalization `json:"normalize,omitempty"`
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	runDir := fs.String("run", "", "run directory written by convnets train (required)")
	out := fs.String("o", "", "output file, FILE.safetensors (required)")
	which := fs.String("checkpoint", "final", "which weights: final, last or best")
	if err := parse(e, fs, "convnets export -run runs/lenet -o lenet.safetensors", args); err != nil {
		return err
	}
	switch {
	case *runDir == "":
		return usageError{errRequired("-run")}
	case *out == "":
		return usageError{errRequired("-o")}
	case !strings.HasSuffix(*out, ".safetensors"):
		return usageError{fmt.Errorf("-o %q: want a name ending in .safetensors", *out)}
	}
	job, err := train.ReadJob(*runDir)
	if err != nil {
		return err
	}
	spec, err := e.reg.Lookup(job.Arch)
	if err != nil {
		return err
	}
	net, err := spec.New(jobConfig(job), graph.Config{Batch: 1})
	if err != nil {
		return err
	}
	if err := net.Init(job.Seed); err != nil {
		return err
	}
	file, err := checkpointFile(*which)
	if err != nil {
		return err
	}
	path := filepath.Join(*runDir, file)
	if err := train.LoadRunWeights(net, job.Arch, path); err != nil {
		return err
	}
	tensors, err := train.TorchState(net)
	if err != nil {
		return err
	}
	cfg, err := json.Marshal(exportConfig{Input: job.Input, Classes: job.Classes, Width: job.Width, Aux: job.Aux,
		ClassNames: datasets.ClassNames(job.Dataset, job.Classes), Normalize: job.Normalize})
	if err != nil {
		return err
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
	if err := train.WriteSafetensors(*out, tensors, meta); err != nil {
		return err
	}
	var n int64
	for _, t := range tensors {
		n += int64(len(t.Data))
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d tensors, %d values, architecture %s\n", *out, len(tensors), n, job.Arch)
	return nil
}

// loadWeights builds the architecture a safetensors file holds weights
// for (named by archName or the file's metadata) and loads them.
func loadWeights(e *env, path, archName string, width float64, batch int, dataset, data string) (*model, error) {
	tensors, meta, err := train.ReadSafetensors(path)
	if err != nil {
		return nil, err
	}
	if archName == "" {
		if archName = meta["arch"]; archName == "" {
			return nil, usageError{fmt.Errorf("%s names no architecture in its metadata: give -arch", path)}
		}
	}
	spec, err := e.reg.Lookup(archName)
	if err != nil {
		return nil, usageError{err}
	}
	c := spec.Default
	var norm *train.Normalization
	if raw, ok := meta["config"]; ok && meta["arch"] == archName {
		var ec exportConfig
		if err := json.Unmarshal([]byte(raw), &ec); err != nil {
			return nil, fmt.Errorf("%s: metadata config: %w", path, err)
		}
		c = arch.Config{Input: ec.Input, Classes: ec.Classes, Width: ec.Width, Aux: ec.Aux}
		if norm = ec.Normalize; norm != nil {
			if err := norm.Check(); err != nil {
				return nil, fmt.Errorf("%s: metadata normalize %+v: %w", path, *norm, err)
			}
		}
	}
	if width > 0 {
		c.Width = width
	}
	if dataset == "" {
		dataset = meta["dataset"]
	}
	if _, err := datasets.Lookup(dataset); err != nil {
		if dataset != "" && dataset != meta["dataset"] {
			return nil, usageError{err} // -dataset names no dataset
		}
		dataset = "" // the metadata's name is unknown here
	}
	if dataset == "" && data == "" {
		dataset = datasets.Default
	}
	job := train.Job{Arch: archName, Input: c.Input, Classes: c.Classes, Width: c.Width, Aux: c.Aux, Batch: batch, Seed: 1,
		Dataset: dataset, Data: data, Normalize: norm}
	m, err := compileJob(e, job, "")
	if err != nil {
		return nil, err
	}
	if err := train.LoadTorchState(m.net, tensors, path); err != nil {
		m.p.Close()
		return nil, err
	}
	return m, nil
}
