package study

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
)

var sample = filepath.Join("..", "..", "testdata", "fashion-mnist")

// small are options for a study in seconds: a few sample images, one
// epoch, a small batch.
func small(seeds int) Options {
	return Options{Data: sample, LimitTrain: 96, LimitTest: 32, Val: 32, Epochs: 1, Batch: 16, Seeds: seeds}
}

// TestStudiesResolve: every study's arms build, their names are unique,
// and every claim names two of them.
func TestStudiesResolve(t *testing.T) {
	reg := arch.Builtin()
	if len(Names()) != 5 {
		t.Fatalf("studies %v, want the five the lecture asks for", Names())
	}
	for _, name := range Names() {
		s, _ := Lookup(name)
		arms, err := s.Arms(reg, small(1))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seen := map[string]bool{}
		for _, a := range arms {
			if seen[a.Name] {
				t.Fatalf("%s: two arms named %s", name, a.Name)
			}
			seen[a.Name] = true
			if _, err := a.Spec.New(jobs.Config(a.Job), graph.Config{}); err != nil {
				t.Fatalf("%s %s: %v", name, a.Name, err)
			}
			if a.Job.Epochs != 1 || a.Job.Batch != 16 || a.Job.LimitTrain != 96 || a.Job.Dataset != "fashion-mnist" {
				t.Fatalf("%s %s: options not applied: %+v", name, a.Name, a.Job)
			}
		}
		for _, c := range s.Claims {
			if !seen[c.A] || !seen[c.B] {
				t.Fatalf("%s: claim %q names %s and %s, arms %v", name, c.Text, c.A, c.B, seen)
			}
		}
	}
	if _, err := Lookup("resnet"); err == nil {
		t.Fatal("unknown study found")
	}
}

// TestEveryStudySmall runs each study on a few sample images and checks
// its report: one row per arm, a verdict per claim, the files written.
func TestEveryStudySmall(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 32 small networks")
	}
	reg := arch.Builtin()
	for _, name := range Names() {
		s, _ := Lookup(name)
		dir := t.TempDir()
		r, err := Run(context.Background(), reg, s, dir, small(1), jobs.Output{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		arms, _ := s.Arms(reg, small(1))
		if len(r.Arms) != len(arms) || len(r.Verdicts) != len(s.Claims) {
			t.Fatalf("%s: %d rows and %d verdicts, want %d and %d", name, len(r.Arms), len(r.Verdicts), len(arms), len(s.Claims))
		}
		for _, f := range []string{ReportFile, JSONFile, PlanFile, "accuracy.png", "accuracy.svg"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		for _, a := range arms { // a run's job.json is its arm's job: records restore
			have, err := train.ReadJob(RunDir(dir, a.Name, 1))
			want := a.Job
			want.Seed = 1
			if err != nil || !sameJob(want, have) {
				t.Fatalf("%s %s: the run's job is not the arm's: %v\n%+v\n%+v", name, a.Name, err, have, want)
			}
		}
		md, _ := os.ReadFile(filepath.Join(dir, ReportFile))
		for _, v := range r.Verdicts {
			if !strings.Contains(string(md), v.Text) || v.Verdict == "" {
				t.Fatalf("%s: verdict %+v not in the report", name, v)
			}
		}
	}
}

// cancelAt is a progress sink that cancels a context at the n-th epoch
// line it sees: a kill in the middle of a study.
type cancelAt struct {
	mu     sync.Mutex
	n      int
	cancel func()
}

func (c *cancelAt) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n -= bytes.Count(p, []byte("epoch 1/2")); c.n <= 0 {
		c.cancel()
	}
	return len(p), nil
}

// TestStudyResumes interrupts a study in its third run, reruns it, and
// gets the report of a study never interrupted, number for number; the
// same folder reports on fewer seeds and grows to more, and refuses other
// options.
func TestStudyResumes(t *testing.T) {
	reg := arch.Builtin()
	s, _ := Lookup("alexnet")
	o := small(2)
	o.Epochs = 2
	whole, err := Run(context.Background(), reg, s, t.TempDir(), o, jobs.Output{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	sink := &cancelAt{n: 3, cancel: cancel}
	_, err = Run(ctx, reg, s, dir, o, jobs.Output{Progress: &train.Lines{W: sink, Quiet: true}})
	if !errors.Is(err, train.ErrInterrupted) {
		t.Fatalf("interrupted study: %v, want ErrInterrupted", err)
	}
	again, err := Run(context.Background(), reg, s, dir, o, jobs.Output{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(dropDirs(whole))
	b, _ := json.Marshal(dropDirs(again))
	if !bytes.Equal(a, b) {
		t.Fatalf("resumed study differs:\n%s\n%s", a, b)
	}
	// Fewer seeds: the report of the first runs, nothing trained.
	o.Seeds = 1
	one, err := Run(context.Background(), reg, s, dir, o, jobs.Output{Progress: &train.Lines{W: &cancelAt{n: 1, cancel: func() { t.Error("a run trained") }}}})
	if err != nil || one.Seeds != 1 || len(one.Arms[0].Runs) != 1 || one.Arms[0].Runs[0].TestAcc != whole.Arms[0].Runs[0].TestAcc {
		t.Fatalf("the study with one of its two seeds: %v %+v", err, one)
	}
	// More seeds: the third seed's runs are added to the same arms.
	o.Seeds = 3
	three, err := Run(context.Background(), reg, s, dir, o, jobs.Output{})
	if err != nil || three.Seeds != 3 || len(three.Arms[0].Runs) != 3 || three.Arms[0].Runs[1].TestAcc != whole.Arms[0].Runs[1].TestAcc {
		t.Fatalf("the study grown to three seeds: %v %+v", err, three)
	}
	var p plan
	if b, err := os.ReadFile(filepath.Join(dir, PlanFile)); err != nil || json.Unmarshal(b, &p) != nil || p.Seeds != 3 || p.ArmEpochs[arms0(t, s, o)] != 2 {
		t.Fatalf("plan after growing: %v %+v", err, p)
	}
	o.Epochs = 3
	if _, err := Run(context.Background(), reg, s, dir, o, jobs.Output{}); err == nil || !strings.Contains(err.Error(), "other options") {
		t.Fatalf("the folder's study rerun with other epochs: %v", err)
	}
}

// arms0 is the name of the study's first arm.
func arms0(t *testing.T, s Study, o Options) string {
	arms, err := s.Arms(arch.Builtin(), o)
	if err != nil || len(arms) == 0 {
		t.Fatalf("arms: %v", err)
	}
	return arms[0].Name
}

// dropDirs is the report without what depends on where and how fast it
// ran: folders and seconds.
func dropDirs(r *Report) *Report {
	c := *r
	c.RunSeconds = 0
	c.Arms = nil
	for _, a := range r.Arms {
		x := *a
		x.MeanSeconds = 0
		x.Runs = nil
		for _, sr := range a.Runs {
			sr.Dir, sr.Seconds = "", 0
			x.Runs = append(x.Runs, sr)
		}
		c.Arms = append(c.Arms, &x)
	}
	c.Verdicts = nil // their figures hold no times, but keep the comparison to the numbers
	return &c
}

// counter counts the first epoch lines of two-epoch runs: runs trained.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += bytes.Count(p, []byte("epoch 1/2")) + bytes.Count(p, []byte("epoch 1/1 "))
	return len(p), nil
}

// TestStudyRecords carries a study interrupted on one machine to a fresh
// folder through its records (no weights in them): only the runs the
// records lack train again, and the report is the uninterrupted one's.
func TestStudyRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 20 small networks")
	}
	reg := arch.Builtin()
	s, _ := Lookup("alexnet")
	o := small(1)
	o.Epochs = 2
	wholeDir := t.TempDir()
	whole, err := Run(context.Background(), reg, s, wholeDir, o, jobs.Output{})
	if err != nil {
		t.Fatal(err)
	}
	o.Records = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Run(ctx, reg, s, t.TempDir(), o, jobs.Output{Progress: &train.Lines{W: &cancelAt{n: 3, cancel: cancel}, Quiet: true}})
	if !errors.Is(err, train.ErrInterrupted) {
		t.Fatalf("interrupted study: %v, want ErrInterrupted", err)
	}
	err = filepath.WalkDir(o.Records, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".csv") {
			t.Errorf("records hold %s", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	trained := &counter{}
	again, err := Run(context.Background(), reg, s, t.TempDir(), o, jobs.Output{Progress: &train.Lines{W: trained, Quiet: true}})
	if err != nil {
		t.Fatal(err)
	}
	if arms, _ := s.Arms(reg, o); trained.n != len(arms)-2 {
		t.Fatalf("%d runs trained from the records of two finished runs, want %d", trained.n, len(arms)-2)
	}
	a, _ := json.Marshal(dropDirs(whole))
	b, _ := json.Marshal(dropDirs(again))
	if !bytes.Equal(a, b) {
		t.Fatalf("study continued from records differs:\n%s\n%s", a, b)
	}
	// Records of other options are not this study's runs, whether the
	// study folder is new or has its own plan.
	o.Epochs = 3
	if _, err := Run(context.Background(), reg, s, t.TempDir(), o, jobs.Output{}); err == nil || !strings.Contains(err.Error(), "other options") {
		t.Fatalf("records of two epochs used by a study of three: %v", err)
	}
	p, err := readPlan(filepath.Join(o.Records, PlanFile))
	if err != nil {
		t.Fatal(err)
	}
	p.Epochs = 3
	dir := t.TempDir()
	if err := writePlan(filepath.Join(dir, PlanFile), p); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), reg, s, dir, o, jobs.Output{}); err == nil || !strings.Contains(err.Error(), "records") {
		t.Fatalf("records of two epochs used by a study folder of three: %v", err)
	}
	o.Epochs = 2
	// A run of this machine with all its epochs but no weights (stopped
	// before writing them) is not finished: it resumes from its checkpoint.
	first := RunDir(dir, arms0(t, s, o), 1)
	if err := os.MkdirAll(first, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range recordFiles {
		if err := copyFile(filepath.Join(o.Records, arms0(t, s, o), "seed1", f), filepath.Join(first, f)); err != nil {
			t.Fatal(err)
		}
	}
	if !finished(first) {
		t.Fatal("a whole record without a checkpoint is not finished")
	}
	if err := os.WriteFile(filepath.Join(first, train.LastCheckpoint), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if finished(first) {
		t.Fatal("a run with a checkpoint and no weights counts as finished")
	}
	// A record that differs from the run's is never overwritten.
	other := filepath.Join(o.Records, arms0(t, s, o), "seed1", train.MetricsFile)
	if err := os.WriteFile(other, []byte("epoch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := saveRecord(o.Records, wholeDir, run{0, 1, RunDir(wholeDir, arms0(t, s, o), 1)}); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Fatalf("a differing record overwritten: %v", err)
	}
	if err := copyFile(filepath.Join(RunDir(wholeDir, arms0(t, s, o), 1), train.MetricsFile), other); err != nil {
		t.Fatal(err)
	}
	// A record of another job than its arm's is refused, as are records
	// without a plan.
	rec := filepath.Join(o.Records, arms0(t, s, o), "seed2")
	if err := os.MkdirAll(rec, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range recordFiles {
		if err := copyFile(filepath.Join(o.Records, arms0(t, s, o), "seed1", f), filepath.Join(rec, f)); err != nil {
			t.Fatal(err)
		}
	}
	o.Seeds = 2 // seed 2's record holds seed 1's job
	if _, err := Run(context.Background(), reg, s, t.TempDir(), o, jobs.Output{}); err == nil || !strings.Contains(err.Error(), "is not of the study's") {
		t.Fatalf("a record of seed 1 restored as seed 2: %v", err)
	}
	if err := os.Remove(filepath.Join(o.Records, PlanFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), reg, s, t.TempDir(), o, jobs.Output{}); err == nil || !strings.Contains(err.Error(), "no plan.json") {
		t.Fatalf("records without a plan: %v", err)
	}
}

// TestMachinesLine: the report names the machines that trained its runs,
// those not recorded last, and says nothing where none was recorded.
func TestMachinesLine(t *testing.T) {
	r := &Report{Machines: map[string]int{"B cpu, 2 cores": 1, "": 2, "A cpu, 4 cores": 3}}
	if got, want := r.machines(), "A cpu, 4 cores (3 runs); B cpu, 2 cores (1 run); a machine not recorded (2 runs)"; got != want {
		t.Fatalf("machines %q, want %q", got, want)
	}
	if got := (&Report{Machines: map[string]int{"": 4}}).machines(); got != "" {
		t.Fatalf("no machine recorded: %q", got)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, train.VersionsFile), []byte(`{"cpu": "X", "cores": "2", "go": "go1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := machineOf(dir); got != "X, 2 cores" {
		t.Fatalf("machine of a run %q", got)
	}
}

// TestStudyGainsArms: a study folder (and its records) whose plan was
// written before an arm existed trains the new arm's runs alone, and the
// plans gain its epochs.
func TestStudyGainsArms(t *testing.T) {
	reg := arch.Builtin()
	s, _ := Lookup("alexnet")
	o := small(1)
	o.Records = t.TempDir()
	dir := t.TempDir()
	whole, err := Run(context.Background(), reg, s, dir, o, jobs.Output{})
	if err != nil {
		t.Fatal(err)
	}
	arms, err := s.Arms(reg, o)
	if err != nil {
		t.Fatal(err)
	}
	last := arms[len(arms)-1].Name
	for _, d := range []string{dir, o.Records} { // as if the arm were new
		p, err := readPlan(filepath.Join(d, PlanFile))
		if err != nil {
			t.Fatal(err)
		}
		delete(p.ArmEpochs, last)
		if err := writePlan(filepath.Join(d, PlanFile), p); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(filepath.Join(d, last)); err != nil {
			t.Fatal(err)
		}
	}
	trained := &counter{}
	again, err := Run(context.Background(), reg, s, dir, o, jobs.Output{Progress: &train.Lines{W: trained, Quiet: true}})
	if err != nil {
		t.Fatal(err)
	}
	if trained.n != 1 {
		t.Fatalf("%d runs trained for one new arm, want 1", trained.n)
	}
	for _, d := range []string{dir, o.Records} {
		if p, err := readPlan(filepath.Join(d, PlanFile)); err != nil || p.ArmEpochs[last] != 1 || len(p.ArmEpochs) != len(arms) {
			t.Fatalf("%s's plan after the new arm: %v %+v", d, err, p)
		}
	}
	a, _ := json.Marshal(dropDirs(whole))
	b, _ := json.Marshal(dropDirs(again))
	if !bytes.Equal(a, b) {
		t.Fatalf("study with a gained arm differs:\n%s\n%s", a, b)
	}
}
