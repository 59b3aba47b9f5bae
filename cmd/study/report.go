package study

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/eval/plots"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
	"github.com/convnets/convnets/train/weights"
)

// Files a study writes into its folder (each plot also as .svg).
const (
	ReportFile = "report.md"
	JSONFile   = "study.json"
	PlotFile   = "accuracy.png"
	CurvesFile = "curves.png"
)

// Report is a finished study: every number comes from its run
// directories.
type Report struct {
	Study   string `json:"study"`
	Title   string `json:"title"`
	About   string `json:"about"`
	Dataset string `json:"dataset"`
	Seeds   int    `json:"seeds"`
	Budget  string `json:"budget,omitempty"`
	// Goal is the validation accuracy whose epochs are counted (0: none).
	Goal     float64        `json:"goal,omitempty"`
	Arms     []*eval.Arm    `json:"arms"`
	Verdicts []eval.Verdict `json:"verdicts"`
	NoGain   []string       `json:"more_cost_no_gain,omitempty"`
	// RunSeconds is the training time of all runs together, as one core
	// pair ran them one after another.
	RunSeconds float64 `json:"run_seconds"`
	// Machines counts the runs by the CPU that trained them (from each
	// run's versions.json; "" where it was not recorded): a study carried
	// across machines by its records mixes their times.
	Machines map[string]int `json:"machines,omitempty"`
	curves   bool
}

// collect reads every run's metrics and judges the claims.
func collect(s Study, arms []Arm, runs []run, o Options) (*Report, error) {
	r := &Report{Study: s.Name, Title: s.Title, About: s.About, Dataset: o.dataset(), Seeds: o.seeds(), Goal: s.goal(o), curves: s.Curves,
		Machines: map[string]int{}}
	if o.Budget > 0 {
		r.Budget = o.Budget.String()
	}
	for _, a := range arms {
		net, err := a.Spec.New(jobs.Config(a.Job), graph.Config{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		t := graph.Sum(net.Ledger())
		recipe := jobs.RecipeOf(a.Job, train.DefaultReplicas(net), a.Spec.Default.Width)
		recipe.Val = 0 // the same for every arm: the report says it once
		r.Arms = append(r.Arms, &eval.Arm{Name: a.Name, Description: a.Spec.Description, Params: t.Params, MACs: t.MACs,
			Epochs: a.Job.Epochs, Recipe: recipe.String()})
	}
	for _, run := range runs {
		sr, err := readRun(run)
		if err != nil {
			return nil, err
		}
		a := r.Arms[run.arm]
		a.Runs = append(a.Runs, sr)
		r.RunSeconds += sr.Seconds
		r.Machines[machineOf(run.dir)]++
	}
	for _, a := range r.Arms {
		a.Aggregate(r.Goal)
	}
	for _, c := range s.Claims {
		v, err := eval.Judge(c, r.Arms)
		if err != nil {
			return nil, err
		}
		r.Verdicts = append(r.Verdicts, v)
	}
	if s.NoGain {
		r.NoGain = eval.NoGain(r.Arms)
	}
	return r, nil
}

// readRun reads a finished run: validation picks the epoch (the last one
// without a validation split), whose test accuracy is reported.
func readRun(r run) (eval.SeedRun, error) {
	if !finished(r.dir) {
		return eval.SeedRun{}, fmt.Errorf("run %s has not finished", r.dir)
	}
	epochs, err := train.ReadMetrics(filepath.Join(r.dir, train.MetricsFile))
	if err != nil {
		return eval.SeedRun{}, err
	}
	if len(epochs) == 0 {
		return eval.SeedRun{}, fmt.Errorf("run %s: metrics.csv has no epochs", r.dir)
	}
	sr := eval.SeedRun{Seed: r.seed, Dir: r.dir}
	pick := len(epochs) - 1
	for _, e := range epochs {
		sr.Seconds += e.Seconds
		if !math.IsNaN(e.ValAcc) {
			sr.ValCurve = append(sr.ValCurve, e.ValAcc)
		}
	}
	if len(sr.ValCurve) == len(epochs) { // the first epoch of the best validation accuracy
		pick = 0
		for i, e := range epochs {
			if e.ValAcc > epochs[pick].ValAcc {
				pick = i
			}
		}
		sr.ValAcc = epochs[pick].ValAcc
	}
	sr.Epoch, sr.TestAcc = epochs[pick].Epoch, epochs[pick].TestAcc
	return sr, nil
}

// Write writes the report into dir: report.md, study.json and the plots.
func (r *Report) Write(dir string) error {
	for _, ext := range plots.PlotFormats {
		base := func(png string) string { return filepath.Join(dir, strings.TrimSuffix(png, ".png")+ext) }
		if err := plots.Study(base(PlotFile), r.Title, r.Arms); err != nil {
			return err
		}
		if r.curves {
			if err := plots.StudyCurves(base(CurvesFile), r.Title, r.Arms); err != nil {
				return err
			}
		}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := weights.WriteFileAtomic(filepath.Join(dir, JSONFile), append(b, '\n')); err != nil {
		return err
	}
	var md bytes.Buffer
	r.Markdown(&md)
	return weights.WriteFileAtomic(filepath.Join(dir, ReportFile), md.Bytes())
}

// WriteDone prints the report as Markdown to w and says where its files
// are in dir and how long the study command took.
func (r *Report) WriteDone(w io.Writer, dir string, took time.Duration) {
	var md bytes.Buffer
	r.Markdown(&md)
	fmt.Fprintf(w, "\n%s\nwrote %s (%s, plots and %s); this command ran %s\n", md.String(), filepath.Join(dir, ReportFile),
		JSONFile, PlanFile, train.FormatDuration(took))
}

// Markdown writes the report as Markdown: what was compared, the table,
// the verdicts, where cost bought nothing, and the plots.
func (r *Report) Markdown(b *bytes.Buffer) {
	fmt.Fprintf(b, "# %s\n\n%s\n\n", r.Title, r.About)
	budget := "each arm's own epochs"
	if r.Budget != "" {
		budget = "equal wall time: the epochs that take about " + r.Budget + " on this machine, measured once"
	}
	fmt.Fprintf(b, "On %s, %d seed(s) per network, %s; validation picks the epoch where the jobs hold out images, test "+
		"accuracy is only reported (mean ± standard deviation over the seeds). %.0f s of training in all.\n\n",
		datasets.Title(r.Dataset), r.Seeds, budget, r.RunSeconds)
	if m := r.machines(); m != "" {
		fmt.Fprintf(b, "Trained on %s.\n\n", m)
	}
	eval.WriteStudyTable(b, r.Arms, r.Goal)
	fmt.Fprintf(b, "\n## Verdicts\n\n")
	for _, v := range r.Verdicts {
		fmt.Fprintf(b, "- **%s**: %s. %s.\n", v.Text, v.Verdict, v.Figures)
	}
	if len(r.NoGain) > 0 {
		fmt.Fprintf(b, "\n## Where more cost bought no accuracy\n\n")
		for _, s := range r.NoGain {
			fmt.Fprintf(b, "- %s\n", s)
		}
	}
	fmt.Fprintf(b, "\n![test accuracy against MACs and training time](%s)\n", PlotFile)
	if r.curves {
		fmt.Fprintf(b, "\n![validation accuracy after each epoch](%s)\n", CurvesFile)
	}
}

// machineOf is the CPU and cores that trained the run in dir, from its
// versions.json, or "" where they were not recorded.
func machineOf(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, train.VersionsFile))
	if err != nil {
		return ""
	}
	var v map[string]string
	if json.Unmarshal(b, &v) != nil || v["cpu"] == "" {
		return ""
	}
	cores := v["gomaxprocs"]
	if cores == "" {
		cores = v["cores"]
	}
	if cores == "" {
		return v["cpu"]
	}
	return fmt.Sprintf("%s, %s cores", v["cpu"], cores)
}

// machines says which machines trained the runs, with their counts, when
// any run recorded its machine: "AMD EPYC, 2 cores (27 runs)".
func (r *Report) machines() string {
	var names []string
	for m := range r.Machines {
		if m != "" {
			names = append(names, m)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	if r.Machines[""] > 0 {
		names = append(names, "")
	}
	parts := make([]string, len(names))
	for i, m := range names {
		label := m
		if m == "" {
			label = "a machine not recorded"
		}
		parts[i] = fmt.Sprintf("%s (%d run%s)", label, r.Machines[m], plural(r.Machines[m]))
	}
	return strings.Join(parts, "; ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
