package study

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/train"
)

// Arm is one network of a study and the job it trains with; each seed of
// the study runs the job with that seed.
type Arm struct {
	// Name labels the arm in the report and names its folder.
	Name string
	Spec arch.Spec
	Job  train.Job
}

// Study is one of the lecture's claims, measured: arms trained with seeds,
// and claims judged on their test accuracies.
type Study struct {
	Name  string
	Title string
	// About says what the study compares and how, for the report.
	About string
	// Goal is the validation accuracy whose epochs the report counts (0:
	// none), by dataset.
	Goal   map[string]float64
	Claims []eval.Claim
	// NoGain asks the report to list where more MACs bought no accuracy.
	NoGain bool
	// Curves asks the report for the validation curves.
	Curves bool
	// Val is the validation split the study needs when the options give
	// none (0: none needed).
	Val  int
	arms func(reg *arch.Registry, o Options) ([]Arm, error)
}

// Options say how a study runs.
type Options struct {
	// Dataset names the data ("": Fashion-MNIST, the dataset that tells
	// the lecture's networks apart); Data is a folder of its IDX files
	// instead of its own copy.
	Dataset, Data string
	// Seeds repeats every arm with seeds 1..Seeds (0: 1).
	Seeds int
	// Epochs, when positive, replaces every arm's epochs; Batch, every
	// arm's batch.
	Epochs, Batch int
	// Budget, when positive, gives every arm the whole epochs that take
	// about this long on this machine, from timed training steps (the
	// epochs are then recorded, so the study repeats exactly).
	Budget time.Duration
	// Parallel runs that many trainings side by side (0: 1).
	Parallel int
	// LimitTrain, LimitTest and Val are the jobs' own limits and split
	// (Val 0: the study's).
	LimitTrain, LimitTest, Val int
	// Records, when set, is a folder that keeps each finished run's record
	// (job.json, metrics.csv, versions.json) and the plan, without
	// weights: kept under version control, it carries a study that takes
	// longer than one machine's session to the next machine, which then
	// trains only the runs it lacks.
	Records string
}

func (o Options) seeds() int    { return max(1, o.Seeds) }
func (o Options) parallel() int { return max(1, o.Parallel) }
func (o Options) dataset() string {
	if o.Dataset == "" {
		return "fashion-mnist"
	}
	return o.Dataset
}

// Check refuses options out of their ranges.
func (o Options) Check() error {
	switch {
	case o.Seeds < 0 || o.Seeds > 100:
		return fmt.Errorf("-seeds %d: want 1 to 100", o.Seeds)
	case o.Epochs < 0 || o.Epochs > train.MaxEpochs:
		return fmt.Errorf("-epochs %d: want 1 to %d (0: each arm's own)", o.Epochs, train.MaxEpochs)
	case o.Budget < 0:
		return fmt.Errorf("-budget %v: must not be negative", o.Budget)
	case o.Budget > 0 && o.Epochs > 0:
		return fmt.Errorf("-budget and -epochs: give one (equal time or equal epochs)")
	case o.Batch < 0 || o.Batch > train.MaxBatch:
		return fmt.Errorf("-batch %d: want 1 to %d (0: each arm's own)", o.Batch, train.MaxBatch)
	case o.Parallel < 0 || o.Parallel > 64:
		return fmt.Errorf("-parallel %d: want 1 to 64", o.Parallel)
	case o.LimitTrain < 0 || o.LimitTest < 0 || o.Val < 0:
		return fmt.Errorf("-limit-train, -limit-test and -val must not be negative")
	}
	return nil
}

// studies are the lecture's studies, by name.
var studies = map[string]Study{}

func register(s Study) Study {
	studies[s.Name] = s
	return s
}

// Lookup returns the study called name.
func Lookup(name string) (Study, error) {
	s, ok := studies[name]
	if !ok {
		return Study{}, fmt.Errorf("unknown study %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return s, nil
}

// Find returns the one study names names, with o checked; its errors are
// the command line's (jobs.InputError).
func Find(names []string, o Options) (Study, error) {
	if len(names) != 1 {
		return Study{}, jobs.InputError{Err: fmt.Errorf("name one study: %s", strings.Join(Names(), ", "))}
	}
	s, err := Lookup(names[0])
	if err == nil {
		err = o.Check()
	}
	if err != nil {
		return Study{}, jobs.InputError{Err: err}
	}
	return s, nil
}

// Names lists the studies, sorted.
func Names() []string {
	var out []string
	for name := range studies {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Arms resolves the study's arms for the options: networks, jobs and the
// options' limits, seeds left to Run.
func (s Study) Arms(reg *arch.Registry, o Options) ([]Arm, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	arms, err := s.arms(reg, o)
	if err != nil {
		return nil, err
	}
	val := o.Val
	if val == 0 {
		val = s.Val
	}
	for i := range arms {
		j := &arms[i].Job
		j.LimitTrain, j.LimitTest, j.Val = o.LimitTrain, o.LimitTest, val
		if o.LimitTrain > 0 && val >= o.LimitTrain {
			j.Val = o.LimitTrain / 5 // a small run keeps a fifth of its images for validation
		}
		if o.Epochs > 0 {
			j.Epochs = o.Epochs
		}
		if o.Batch > 0 {
			j.Batch = o.Batch
		}
	}
	return arms, nil
}

// goal is the study's goal accuracy for the dataset (0: none).
func (s Study) goal(o Options) float64 { return s.Goal[o.dataset()] }

// WriteList prints each study, what it compares and its claims.
func WriteList(w io.Writer) error {
	for _, name := range Names() {
		s, err := Lookup(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s\n  %s\n", s.Name, s.Title, s.About)
		for _, c := range s.Claims {
			fmt.Fprintf(w, "  - %s (%s: %s against %s)\n", c.Text, c.Kind, c.A, c.B)
		}
	}
	return nil
}
