package train

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train/weights"
	"github.com/pkg/errors"
)

// Job is a training run, fully resolved: what job.json in a run directory
// holds.
type Job struct {
	Arch     string    `json:"arch"`
	Input    [3]int    `json:"input"`
	Classes  int       `json:"classes"`
	Width    float64   `json:"width,omitempty"`
	Aux      bool      `json:"aux,omitempty"`
	Epochs   int       `json:"epochs"`
	Batch    int       `json:"batch"`
	Opt      OptConfig `json:"optimizer"`
	Schedule Schedule  `json:"schedule"`
	Seed     uint64    `json:"seed"`
	Shift    int       `json:"shift,omitempty"`
	// CropPad and Flip are the random crop with zero padding and the
	// horizontal flip of the training images (see Augment).
	CropPad int  `json:"crop_pad,omitempty"`
	Flip    bool `json:"flip,omitempty"`
	// Normalize, when set, normalises every image by the training set's
	// pixel mean and standard deviation; a zero Normalization asks for
	// them to be computed from the training images when the run starts,
	// and job.json records the values.
	Normalize *Normalization `json:"normalize,omitempty"`
	// Dataset names the data ("mnist", "fashion-mnist"; package
	// datasets); empty in runs made before names, and for a folder of IDX
	// files that is none of the known datasets.
	Dataset string `json:"dataset,omitempty"`
	// Data is the folder of the four IDX files when the job named one;
	// empty: the named dataset's own copy on whatever machine runs it.
	Data string `json:"data,omitempty"`
	// DataSHA256 are the SHA-256 hashes of the four files by name: a copy
	// that differs is refused on resume and evaluation.
	DataSHA256 map[string]string `json:"data_sha256,omitempty"`
	LimitTrain int               `json:"limit_train,omitempty"`
	LimitTest  int               `json:"limit_test,omitempty"`
	Val        int               `json:"val,omitempty"`
	// Replicas splits each training step over that many data-parallel
	// replicas of the network, each on Batch/Replicas images, run side by
	// side (0 or 1: none). It changes the sums' rounding, so it is part of
	// the job; the cores that run it are not.
	Replicas int `json:"replicas,omitempty"`
	// Ranks is how many processes (MPI ranks) first trained the run, each
	// running Replicas/Ranks of the replicas; a record, not part of the
	// job: the weights depend on Replicas alone, and a resume may use any
	// number of ranks that divides it.
	Ranks int `json:"ranks,omitempty"`
	// StopAfter stops the run after that many steps in all, as an
	// interrupt would (for tests of resumption; 0: never).
	StopAfter int64 `json:"stop_after,omitempty"`
}

// Normalization is the pixel mean and standard deviation (of images
// scaled to [0, 1]) that every image is normalised by: (x - Mean) / Std.
type Normalization struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

// Check says whether the normalisation can be applied in float32: a
// finite mean and a positive, finite standard deviation.
func (n Normalization) Check() error {
	m, sd := float32(n.Mean), float32(n.Std)
	if !(sd > 0) || math.IsInf(float64(sd), 0) || math.IsNaN(float64(m)) || math.IsInf(float64(m), 0) {
		return errors.New("want a finite mean and a positive, finite std (in float32)")
	}
	return nil
}

// Augment is the job's augmentation of the training images.
func (j Job) Augment() Augment { return Augment{Shift: j.Shift, CropPad: j.CropPad, Flip: j.Flip} }

// DefaultReplicas is the data-parallel replicas a job on net gets unless it
// says otherwise: 2 when the network can be split over an even batch and
// has no batch norm (replicas would normalise over half the batch each:
// asked for with -replicas, not by default), else 1 (none). It depends on
// the job only, never on the machine's cores, so the same command gives the
// same weights everywhere.
func DefaultReplicas(net *graph.Net) int {
	if net.Config().Batch%2 == 0 && net.CanReplicate() == nil && !net.HasBatchNorm() {
		return 2
	}
	return 1
}

// File names inside a run directory.
const (
	// LockFile exists while a process trains in the run directory.
	LockFile    = ".lock"
	JobFile     = "job.json"
	WeightsFile = "weights.ckpt"
	// MetricsFile holds a line per finished epoch; VersionsFile, the
	// versions of Go, convnets and its dependencies that trained the run.
	MetricsFile  = "metrics.csv"
	VersionsFile = "versions.json"
)

// Data is the data of a job.
type Data struct {
	Train, Val, Test *Dataset
}

// Execute runs job on net (built for job.Batch, with its output set) in
// the run directory dir: it writes job.json and versions.json, initialises
// the weights from job.Seed, trains, and writes weights.ckpt at the end.
func Execute(ctx context.Context, job Job, net *graph.Net, data Data, dir string, progress Progress) ([]EpochStats, error) {
	comm := graph.CommFrom(ctx)
	if comm != nil && comm.Rank() != 0 { // rank 0 alone writes the run directory
		return execute(ctx, job, net, data, "", progress, nil)
	}
	if err := MkRunDir(dir); err != nil {
		return nil, err
	}
	unlock, err := lockRunDir(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if comm != nil && comm.Size() > 1 {
		job.Ranks = comm.Size()
	}
	if err := WriteJob(dir, job); err != nil {
		return nil, err
	}
	if err := writeVersions(dir); err != nil {
		return nil, err
	}
	return execute(ctx, job, net, data, dir, progress, nil)
}

// Resume continues the run in dir from its last.ckpt, with its job.json:
// net must be built for that job. Orphaned temporary files of an
// interrupted write are removed first. The result is the same, bit for
// bit, as the run never stopped. A stop_after in the job is not applied
// again. Under MPI every rank reads the checkpoint and rank 0 alone writes.
func Resume(ctx context.Context, dir string, net *graph.Net, data Data, progress Progress) ([]EpochStats, error) {
	job, err := ReadJob(dir)
	if err != nil {
		return nil, err
	}
	out := dir
	if comm := graph.CommFrom(ctx); comm != nil && comm.Rank() != 0 {
		out = ""
	} else {
		unlock, err := lockRunDir(dir)
		if err != nil {
			return nil, err
		}
		defer unlock()
		if err := CleanTemp(dir); err != nil {
			return nil, err
		}
	}
	ck, err := weights.ReadCheckpoint(filepath.Join(dir, LastCheckpoint))
	if err != nil {
		return nil, err
	}
	job.StopAfter = 0 // a stop asked for the first run is not asked again
	return execute(ctx, job, net, data, out, progress, ck)
}

// execute trains net for job; dir "" writes nothing (an MPI rank but 0).
func execute(ctx context.Context, job Job, net *graph.Net, data Data, dir string, progress Progress, resume *weights.Checkpoint) ([]EpochStats, error) {
	data, err := data.Fit(job.Input)
	if err != nil {
		return nil, err
	}
	if err := net.Init(job.Seed); err != nil {
		return nil, err
	}
	p, err := graph.CompileDistributed(net, job.Replicas, graph.CommFrom(ctx))
	if err != nil {
		return nil, err
	}
	defer p.Close()
	cfg := Config{Epochs: job.Epochs, Opt: job.Opt, Schedule: job.Schedule, Seed: job.Seed, Augment: job.Augment(), Arch: job.Arch,
		Dir: dir, Progress: progress, Resume: resume, StopAfter: job.StopAfter}
	history, err := Run(ctx, p, data.Train, data.Val, data.Test, cfg)
	if err != nil || dir == "" {
		return history, err
	}
	tensors, err := weights.NetTensors(net)
	if err != nil {
		return history, err
	}
	meta := weights.Meta{Arch: job.Arch, Epoch: job.Epochs, Step: int64(job.Epochs) * int64(data.Train.Len()/job.Batch)}
	return history, weights.WriteCheckpoint(filepath.Join(dir, WeightsFile), &weights.Checkpoint{Meta: meta, Tensors: tensors})
}

// cpuModel is the CPU's model name from /proc/cpuinfo, or the system and
// architecture where it gives none (other systems, arm64's cpuinfo).
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOOS + "/" + runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

// CleanTemp removes the temporary files that a write killed midway left in
// dir (".NAME.tmp-*").
func CleanTemp(dir string) error {
	matches, err := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if err != nil {
		return err
	}
	for _, m := range matches {
		if err := os.Remove(m); err != nil {
			return errors.Wrap(err, "removing an orphaned temporary file")
		}
	}
	return nil
}

// writeVersions records the Go, Gorgonia and convnets versions the run was
// made with, and the machine: its CPU's model, its cores and the cores Go
// may use (GOMAXPROCS: a container's quota), so that times from runs of
// one study trained on different machines are told apart. A run resumed
// elsewhere keeps the first machine's.
func writeVersions(dir string) error {
	v := map[string]string{"go": runtime.Version(), "cores": strconv.Itoa(runtime.NumCPU()),
		"gomaxprocs": strconv.Itoa(runtime.GOMAXPROCS(0)), "cpu": cpuModel()}
	if info, ok := debug.ReadBuildInfo(); ok {
		v["convnets"] = info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				v["convnets_revision"] = s.Value
			}
		}
		for _, d := range info.Deps {
			switch d.Path {
			case "gorgonia.org/gorgonia":
				v["gorgonia"] = d.Version
			case "gorgonia.org/tensor":
				v["tensor"] = d.Version
			}
		}
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return weights.WriteFileAtomic(filepath.Join(dir, VersionsFile), append(b, '\n'))
}

// Bounds of a job's sizes: far beyond any network convnets trains, and
// small enough that nothing is allocated from an absurd value (a typo, a
// hostile job file) before the job is refused.
const (
	MaxInputSide     = 4096    // input height and width
	MaxInputChannels = 4096    // input channels
	MaxClasses       = 1 << 20 // output classes
	MaxBatch         = 1 << 16 // images per step
	MaxWidth         = 64.0    // width multiplier
	MaxEpochs        = 1 << 20
	maxBatchInput    = 1 << 30 // values in one batch of input (4 GiB of float32)
	// MaxJobFile is the largest job file read (a job is a few hundred bytes).
	MaxJobFile = 1 << 20
)

// Validate checks every field, naming the job-file key of the first bad
// one.
func (j Job) Validate() error {
	bad := func(key string, v any, want string) error {
		return errors.Errorf("job: %q is %v: %s", key, v, want)
	}
	side := max(j.Input[1], j.Input[2])
	switch {
	case j.Arch == "":
		return bad("arch", `""`, "name an architecture")
	case j.Input[0] <= 0 || j.Input[1] <= 0 || j.Input[2] <= 0:
		return bad("input", j.Input, "want three positive sizes [C, H, W]")
	case j.Input[0] > MaxInputChannels || side > MaxInputSide:
		return bad("input", j.Input, fmt.Sprintf("at most %d channels and %d pixels a side", MaxInputChannels, MaxInputSide))
	case j.Classes <= 0 || j.Classes > MaxClasses:
		return bad("classes", j.Classes, fmt.Sprintf("must be between 1 and %d", MaxClasses))
	case !(j.Width >= 0 && j.Width <= MaxWidth):
		return bad("width", j.Width, fmt.Sprintf("must be positive and at most %v (0: the architecture's)", MaxWidth))
	case j.Epochs <= 0 || j.Epochs > MaxEpochs:
		return bad("epochs", j.Epochs, fmt.Sprintf("must be between 1 and %d", MaxEpochs))
	case j.Batch <= 0 || j.Batch > MaxBatch:
		return bad("batch", j.Batch, fmt.Sprintf("must be between 1 and %d", MaxBatch))
	case int64(j.Batch)*int64(j.Input[0])*int64(j.Input[1])*int64(j.Input[2]) > maxBatchInput:
		return bad("batch", j.Batch, fmt.Sprintf("a batch of %v inputs would hold more than %d values", j.Input, maxBatchInput))
	case int64(j.Batch)*int64(j.Classes) > maxBatchInput:
		return bad("batch", j.Batch, fmt.Sprintf("a batch of %d logits would hold more than %d values", j.Classes, maxBatchInput))
	case j.Shift < 0 || j.Shift > side:
		return bad("shift", j.Shift, "must be between 0 and the input's size")
	case j.CropPad < 0 || j.CropPad > max(j.Input[1], j.Input[2]):
		return bad("crop_pad", j.CropPad, "must be between 0 and the input's size")
	case j.Normalize != nil && *j.Normalize != (Normalization{}) && j.Normalize.Check() != nil:
		return bad("normalize", *j.Normalize, j.Normalize.Check().Error())
	case j.LimitTrain < 0:
		return bad("limit_train", j.LimitTrain, "must not be negative")
	case j.LimitTest < 0:
		return bad("limit_test", j.LimitTest, "must not be negative")
	case j.Val < 0:
		return bad("val", j.Val, "must not be negative")
	case j.Replicas < 0:
		return bad("replicas", j.Replicas, "must not be negative")
	case j.Replicas > j.Batch:
		return bad("replicas", j.Replicas, "must not exceed the batch")
	case j.Replicas > 1 && j.Batch%j.Replicas != 0:
		return bad("replicas", j.Replicas, "must divide the batch")
	case j.StopAfter < 0:
		return bad("stop_after", j.StopAfter, "must not be negative")
	}
	if _, err := NewOptimizer(j.Opt, nil); err != nil {
		return errors.Wrap(err, `job: "optimizer"`)
	}
	if err := j.Schedule.Validate(); err != nil {
		return errors.Wrap(err, `job: "schedule"`)
	}
	return nil
}

// ParseJob reads a job file's JSON: unknown keys and bad values are errors
// that name the key. Keys left out keep the values in base.
func ParseJob(data []byte, base Job) (Job, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	job := base
	if err := dec.Decode(&job); err != nil {
		return base, errors.Wrap(err, "job")
	}
	if dec.More() {
		return base, errors.New("job: data after the JSON object")
	}
	return job, job.Validate()
}

// WriteJob writes job.json into dir.
func WriteJob(dir string, job Job) error {
	b, err := json.MarshalIndent(job, "", "  ")
	if err != nil {
		return errors.Wrap(err, "job")
	}
	return weights.WriteFileAtomic(filepath.Join(dir, JobFile), append(b, '\n'))
}

// ReadJob reads dir/job.json; unknown keys and invalid values are errors.
func ReadJob(dir string) (Job, error) {
	path := filepath.Join(dir, JobFile)
	b, err := safefile.ReadFile(path, "job file", MaxJobFile)
	if err != nil {
		return Job{}, errors.Wrap(err, "run")
	}
	var job Job
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&job); err != nil {
		return Job{}, errors.Wrapf(err, "run: %s", path)
	}
	if err := job.Validate(); err != nil { // resume and eval trust no more than a new job
		return Job{}, errors.Wrapf(err, "run: %s", path)
	}
	return job, nil
}
