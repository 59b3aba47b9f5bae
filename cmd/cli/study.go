package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/cmd/study"
	"github.com/convnets/convnets/train"
)

func runStudy(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("study", flag.ContinueOnError)
	list := fs.Bool("list", false, "list the studies and their claims")
	var o study.Options
	fs.StringVar(&o.Dataset, "dataset", "fashion-mnist", "dataset: fashion-mnist or mnist")
	fs.StringVar(&o.Data, "data", "", "folder of the dataset's four IDX files (default: its own copy)")
	fs.IntVar(&o.Seeds, "seeds", 1, "train every network with seeds 1..K and report mean and standard deviation (a larger K on a study folder adds seeds)")
	fs.IntVar(&o.Epochs, "epochs", 0, "epochs of every network (default: each one's recipe)")
	fs.IntVar(&o.Batch, "batch", 0, "batch of every network (default: each one's recipe)")
	fs.DurationVar(&o.Budget, "budget", 0, "equal wall time: every network trains for the epochs that take about this long here (e.g. 20m)")
	fs.IntVar(&o.Parallel, "parallel", 1, "trainings side by side")
	fs.IntVar(&o.LimitTrain, "limit-train", 0, "use only the first N training images (0: all)")
	fs.IntVar(&o.LimitTest, "limit-test", 0, "use only the first N test images (0: all)")
	fs.IntVar(&o.Val, "val", 0, "hold out the last N training images for validation (default: the study's, 10,000 where it needs curves)")
	fs.StringVar(&o.Records, "records", "", "folder that keeps every finished run's record without its weights (job.json, metrics.csv, versions.json) and the plan: the study continues from it on another machine")
	out := fs.String("out", "", "study folder (default runs/study-NAME); rerunning the same command continues it")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, "print only the epoch lines of each run")
	names, err := parseInterleaved(e, fs, "convnets study inception -seeds 3\n  convnets study batchnorm -seeds 3 -dataset mnist\n"+
		"  convnets study inception -budget 20m\n  convnets study -list", args)
	if err != nil {
		return err
	}
	if *list {
		return listStudies(e)
	}
	if len(names) != 1 {
		return usageError{fmt.Errorf("name one study: %s", strings.Join(study.Names(), ", "))}
	}
	s, err := study.Lookup(names[0])
	if err != nil {
		return usageError{err}
	}
	if err := o.Check(); err != nil {
		return usageError{err}
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", "study-"+s.Name)
	}
	start := time.Now()
	r, err := study.Run(ctx, e.reg, s, dir, o, jobs.Output{Log: e.stdout, Warn: e.stderr, Progress: jobs.NewProgress(e.stdout, e.stderr, *quiet)})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, r)
	}
	var md bytes.Buffer
	r.Markdown(&md)
	fmt.Fprintf(e.stdout, "\n%s\nwrote %s (%s, plots and %s); this command ran %s\n", md.String(), filepath.Join(dir, study.ReportFile),
		study.JSONFile, study.PlanFile, train.FormatDuration(time.Since(start)))
	return nil
}

// listStudies prints each study, what it compares and its claims.
func listStudies(e *env) error {
	for _, name := range study.Names() {
		s, _ := study.Lookup(name)
		fmt.Fprintf(e.stdout, "%s: %s\n  %s\n", s.Name, s.Title, s.About)
		for _, c := range s.Claims {
			fmt.Fprintf(e.stdout, "  - %s (%s: %s against %s)\n", c.Text, c.Kind, c.A, c.B)
		}
	}
	return nil
}
