package jobs

import (
	"encoding/json"
	"fmt"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// Merge reads the job file at path over the job flags; the settings named
// in given (by their convnets train flag names: "epochs", "lr", "data"...)
// win over the file. When the file names another architecture and leaves
// out its input, classes or width, they are that architecture's. The job
// is validated, and spec is its architecture's.
func Merge(reg *arch.Registry, path string, flags train.Job, given map[string]bool) (job train.Job, spec arch.Spec, err error) {
	b, err := safefile.ReadFile(path, "job file", train.MaxJobFile)
	if err != nil {
		return flags, arch.Spec{}, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return flags, arch.Spec{}, fmt.Errorf("job file %s: %w", path, err)
	}
	base := flags
	base.Replicas = 0 // a job file without the key ran without replicas
	if raw, ok := keys["arch"]; ok {
		var name string
		if json.Unmarshal(raw, &name) == nil {
			if spec, err := reg.Lookup(name); err == nil {
				base.Arch, base.Input, base.Classes, base.Width = name, spec.Default.Input, spec.Default.Classes, spec.Default.Width
			}
		}
	}
	job, err = train.ParseJob(b, base)
	if err != nil {
		return flags, arch.Spec{}, fmt.Errorf("job file %s: %w", path, err)
	}
	if _, named := keys["dataset"]; !named && !given["dataset"] {
		if _, folder := keys["data"]; folder {
			job.Dataset = "" // named by its files' hashes, if they are a known dataset's
		}
	}
	job = override(job, flags, given)
	spec, err = reg.Lookup(job.Arch)
	if err != nil {
		return job, spec, InputError{fmt.Errorf("job file %s: %w", path, err)}
	}
	if job.Dataset == "" && job.Data == "" {
		job.Dataset = datasets.Default
	}
	return job, spec, job.Validate()
}

// override sets the settings of job that given names (by flag name) to
// those of flags.
func override(job, flags train.Job, given map[string]bool) train.Job {
	for name := range given {
		switch name {
		case "arch":
			job.Arch, job.Input, job.Classes, job.Width = flags.Arch, flags.Input, flags.Classes, flags.Width
		case "width":
			job.Width = flags.Width
		case "aux":
			job.Aux = flags.Aux
		case "epochs":
			job.Epochs = flags.Epochs
		case "batch":
			job.Batch = flags.Batch
		case "opt", "lr", "momentum", "wd", "trust":
			job.Opt = flags.Opt
		case "schedule", "warmup":
			job.Schedule = flags.Schedule
		case "shift":
			job.Shift = flags.Shift
		case "crop-pad":
			job.CropPad = flags.CropPad
		case "flip":
			job.Flip = flags.Flip
		case "normalize":
			job.Normalize = flags.Normalize
		case "dataset":
			job.Dataset = flags.Dataset
			if !given["data"] {
				job.Data = ""
			}
		case "seed":
			job.Seed = flags.Seed
		case "data":
			job.Data = flags.Data
			if !given["dataset"] {
				job.Dataset = flags.Dataset
			}
		case "limit-train":
			job.LimitTrain = flags.LimitTrain
		case "limit-test":
			job.LimitTest = flags.LimitTest
		case "val":
			job.Val = flags.Val
		case "replicas":
			job.Replicas = flags.Replicas
		}
	}
	return job
}
