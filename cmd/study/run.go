package study

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/weights"
)

// PlanFile is the study folder's record of what it runs: the study, the
// options that change results, each arm's epochs, and the most seeds asked
// of the folder (a rerun may ask for more, which adds runs, or fewer, which
// reports on the first seeds' runs).
const PlanFile = "plan.json"

// plan is PlanFile's content.
type plan struct {
	Study      string         `json:"study"`
	Dataset    string         `json:"dataset"`
	Data       string         `json:"data,omitempty"`
	Seeds      int            `json:"seeds"`
	Epochs     int            `json:"epochs,omitempty"`
	Batch      int            `json:"batch,omitempty"`
	Budget     string         `json:"budget,omitempty"`
	LimitTrain int            `json:"limit_train,omitempty"`
	LimitTest  int            `json:"limit_test,omitempty"`
	Val        int            `json:"val,omitempty"`
	ArmEpochs  map[string]int `json:"arm_epochs"`
}

// run is one training of the study: an arm with a seed, in its folder.
type run struct {
	arm  int
	seed uint64
	dir  string
}

// RunDir is the folder of an arm's run with a seed, inside the study's.
func RunDir(dir, arm string, seed uint64) string {
	return filepath.Join(dir, arm, fmt.Sprintf("seed%d", seed))
}

// Run trains every arm of the study with every seed into dir (a run
// directory each; runs that finished are kept, an interrupted one
// resumes, so rerunning the same command continues the study), then
// writes the report into dir and returns it.
func Run(ctx context.Context, reg *arch.Registry, s Study, dir string, o Options, out jobs.Output) (*Report, error) {
	arms, err := s.Arms(reg, o)
	if err != nil {
		return nil, err
	}
	var own []arch.Spec
	for _, a := range arms {
		if _, err := reg.Lookup(a.Spec.Name); err != nil {
			own = append(own, a.Spec)
		}
	}
	runReg, err := reg.With(own...)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := settleWith(s, dir, o, arms, out); err != nil {
		return nil, err
	}
	var runs []run
	for i, a := range arms {
		for seed := uint64(1); seed <= uint64(o.seeds()); seed++ {
			runs = append(runs, run{i, seed, RunDir(dir, a.Name, seed)})
		}
	}
	done := func(run) error { return nil }
	if o.Records != "" {
		if done, err = keepRecords(o.Records, dir, arms, runs); err != nil {
			return nil, err
		}
	}
	if err := execute(ctx, runReg, arms, runs, o.parallel(), out, done); err != nil {
		return nil, err
	}
	r, err := collect(s, arms, runs, o)
	if err != nil {
		return nil, err
	}
	return r, r.Write(dir)
}

// settleWith is settle, starting where the folder has no plan from the
// records' one (a study carried from another machine); a plan so copied
// is removed again if settling fails.
func settleWith(s Study, dir string, o Options, arms []Arm, out jobs.Output) error {
	restored := false
	if o.Records != "" {
		var err error
		if restored, err = restorePlan(o.Records, dir, o.Data); err != nil {
			return err
		}
	}
	err := settle(s, dir, o, arms, out)
	if err != nil && restored {
		os.Remove(filepath.Join(dir, PlanFile))
		if errors.Is(err, errOtherPlan) { // the records' plan, not the folder's
			return fmt.Errorf("records %s hold %w (%s): give other -records", o.Records, errOtherPlan, PlanFile)
		}
	}
	return err
}

// errOtherPlan is a plan that differs from the options asked for.
var errOtherPlan = errors.New("another study or other options")

// settle reads the folder's plan, or writes a new one: a study folder
// holds one study with one set of options (seeds aside: more seeds raise
// the plan's count), and the epochs a budget gave each arm are measured
// once and kept.
func settle(s Study, dir string, o Options, arms []Arm, out jobs.Output) error {
	want := plan{Study: s.Name, Dataset: o.dataset(), Data: o.Data, Seeds: o.seeds(), Epochs: o.Epochs, Batch: o.Batch, LimitTrain: o.LimitTrain,
		LimitTest: o.LimitTest, Val: arms[0].Job.Val, ArmEpochs: map[string]int{}}
	if o.Budget > 0 {
		want.Budget = o.Budget.String()
	}
	path := filepath.Join(dir, PlanFile)
	if have, err := readPlan(path); err == nil {
		// The seeds may differ: more seeds add runs to the same arms (seeds
		// 1..K are the same runs whatever K), fewer report on the first ones.
		epochs, seeds := have.ArmEpochs, have.Seeds
		have.ArmEpochs, have.Seeds = want.ArmEpochs, want.Seeds
		if h, w := fmt.Sprintf("%+v", have), fmt.Sprintf("%+v", want); h != w {
			return fmt.Errorf("study folder %s holds %w (%s); give another -out", dir, errOtherPlan, PlanFile)
		}
		// A study that gained arms since the plan was written settles the
		// new ones' epochs now and keeps the old ones'.
		if epochs == nil {
			epochs = map[string]int{}
		}
		gained := false
		for i := range arms {
			e, ok := epochs[arms[i].Name]
			if !ok {
				if err := settleArm(&arms[i], o, out); err != nil {
					return err
				}
				epochs[arms[i].Name], gained = arms[i].Job.Epochs, true
				continue
			}
			if e <= 0 {
				return fmt.Errorf("study folder %s: %s has no epochs for %s", dir, PlanFile, arms[i].Name)
			}
			arms[i].Job.Epochs = e
		}
		if want.Seeds <= seeds && !gained {
			return nil
		}
		want.Seeds = max(want.Seeds, seeds)
		want.ArmEpochs = epochs
		return writePlan(path, want)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("study folder %s: %w", dir, err)
	}
	for i := range arms {
		if err := settleArm(&arms[i], o, out); err != nil {
			return err
		}
		want.ArmEpochs[arms[i].Name] = arms[i].Job.Epochs
	}
	return writePlan(path, want)
}

// settleArm gives an arm that the plan does not hold yet its epochs: a
// budget's, measured here, or its job's own.
func settleArm(a *Arm, o Options, out jobs.Output) error {
	if o.Budget <= 0 {
		return nil
	}
	e, err := budgetEpochs(*a, o.Budget)
	if err != nil {
		return fmt.Errorf("%s: timing for -budget: %w", a.Name, err)
	}
	fmt.Fprintf(logOf(out), "%s: %d epochs in %v\n", a.Name, e, o.Budget)
	a.Job.Epochs = e
	return nil
}

// readPlan reads a plan file; a missing one is os.ErrNotExist.
func readPlan(path string) (plan, error) {
	var p plan
	b, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// writePlan writes p to path, atomically.
func writePlan(path string, p plan) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return weights.WriteFileAtomic(path, append(b, '\n'))
}

// budgetEpochs is how many whole epochs of the arm's job fit in budget on
// this machine: the median of five timed training steps (after one to warm
// up) times the steps of an epoch, at least one.
func budgetEpochs(a Arm, budget time.Duration) (int, error) {
	_, p, err := jobs.CompileSpec(a.Spec, jobs.Config(a.Job), a.Job.Batch, a.Job.Seed, a.Job.Replicas)
	if err != nil {
		return 0, err
	}
	defer p.Close()
	times, err := train.TimeTrainSteps(p, a.Job.Opt, 5, a.Job.Seed)
	if err != nil {
		return 0, err
	}
	images := 60000
	if a.Job.LimitTrain > 0 {
		images = min(images, a.Job.LimitTrain)
	}
	images -= a.Job.Val
	steps := (images + a.Job.Batch - 1) / a.Job.Batch
	perEpoch := times[len(times)/2].Seconds() * float64(steps)
	return max(1, int(math.Round(budget.Seconds()/perEpoch))), nil
}

// execute trains the runs that have not finished, parallel at a time,
// and calls done after each one that ends.
func execute(ctx context.Context, reg *arch.Registry, arms []Arm, runs []run, parallel int, out jobs.Output, done func(run) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	sem := make(chan struct{}, parallel)
	for i, r := range runs {
		if finished(r.dir) {
			continue
		}
		sem <- struct{}{}
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			o := out
			if parallel > 1 {
				o.Progress = nil // epoch lines of several runs at once would interleave
			}
			mu.Lock()
			fmt.Fprintf(logOf(out), "study: %s, seed %d (%d of %d)\n", arms[r.arm].Name, r.seed, i+1, len(runs))
			mu.Unlock()
			err := trainRun(ctx, reg, arms[r.arm], r, o)
			if err == nil {
				err = done(r)
			}
			if err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("%s seed %d: %w", arms[r.arm].Name, r.seed, err)
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// trainRun runs one arm with one seed into its folder, or resumes it.
func trainRun(ctx context.Context, reg *arch.Registry, a Arm, r run, out jobs.Output) error {
	if _, err := os.Stat(filepath.Join(r.dir, train.JobFile)); err == nil {
		_, err := jobs.Resume(ctx, reg, r.dir, "", out)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(r.dir), 0o755); err != nil {
		return err
	}
	job := a.Job
	job.Seed = r.seed
	_, err := jobs.Run(ctx, a.Spec, job, r.dir, out)
	return err
}

// logOf is where a study writes its own lines.
func logOf(o jobs.Output) io.Writer {
	if o.Log == nil {
		return io.Discard
	}
	return o.Log
}
