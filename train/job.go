package train

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// Job is a training run, fully resolved: what job.json in a run directory
// holds.
type Job struct {
	Arch       string    `json:"arch"`
	Input      [3]int    `json:"input"`
	Classes    int       `json:"classes"`
	Width      float64   `json:"width,omitempty"`
	Aux        bool      `json:"aux,omitempty"`
	Epochs     int       `json:"epochs"`
	Batch      int       `json:"batch"`
	Opt        OptConfig `json:"optimizer"`
	Schedule   Schedule  `json:"schedule"`
	Seed       uint64    `json:"seed"`
	Shift      int       `json:"shift,omitempty"`
	Data       string    `json:"data"`
	LimitTrain int       `json:"limit_train,omitempty"`
	LimitTest  int       `json:"limit_test,omitempty"`
	Val        int       `json:"val,omitempty"`
}

// File names inside a run directory.
const (
	JobFile     = "job.json"
	WeightsFile = "weights.ckpt"
)

// Data is the data of a job.
type Data struct {
	Train, Val, Test *Dataset
}

// Execute runs job on net (built for job.Batch, with its output set) in
// the run directory dir: it writes job.json, initialises the weights from
// job.Seed, trains, and writes weights.ckpt at the end.
func Execute(ctx context.Context, job Job, net *graph.Net, data Data, dir string, log io.Writer) ([]EpochStats, error) {
	data, err := data.Fit(job.Input)
	if err != nil {
		return nil, err
	}
	if err := MkRunDir(dir); err != nil {
		return nil, err
	}
	if err := WriteJob(dir, job); err != nil {
		return nil, err
	}
	if err := net.Init(job.Seed); err != nil {
		return nil, err
	}
	p, err := graph.Compile(net)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	cfg := Config{Epochs: job.Epochs, Opt: job.Opt, Schedule: job.Schedule, Seed: job.Seed, Shift: job.Shift, Arch: job.Arch, Dir: dir, Log: log}
	history, err := Run(ctx, p, data.Train, data.Val, data.Test, cfg)
	if err != nil {
		return history, err
	}
	tensors, err := NetTensors(net)
	if err != nil {
		return history, err
	}
	meta := Meta{Arch: job.Arch, Epoch: job.Epochs, Step: history[len(history)-1].Step}
	return history, WriteCheckpoint(filepath.Join(dir, WeightsFile), &Checkpoint{Meta: meta, Tensors: tensors})
}

// WriteJob writes job.json into dir.
func WriteJob(dir string, job Job) error {
	b, err := json.MarshalIndent(job, "", "  ")
	if err != nil {
		return errors.Wrap(err, "job")
	}
	return writeAtomic(filepath.Join(dir, JobFile), append(b, '\n'))
}

// ReadJob reads dir/job.json; unknown keys are an error.
func ReadJob(dir string) (Job, error) {
	path := filepath.Join(dir, JobFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return Job{}, errors.Wrap(err, "run")
	}
	var job Job
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&job); err != nil {
		return Job{}, errors.Wrapf(err, "run: %s", path)
	}
	return job, nil
}

// WeightsHash is a SHA-256, in hex, over the Net's state in its fixed
// order (each tensor's name, shape and float32 bits): equal hashes mean
// bit-identical weights and batch-norm statistics.
func WeightsHash(n *graph.Net) (string, error) {
	tensors, err := NetTensors(n)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range tensors {
		h.Write([]byte(t.Name))
		for _, d := range t.Shape {
			binary.Write(h, binary.LittleEndian, int64(d))
		}
		binary.Write(h, binary.LittleEndian, t.Data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
