package cli

import (
	"context"
	"flag"
	"path/filepath"
	"time"

	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/cmd/study"
)

func runStudy(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("study", flag.ContinueOnError)
	list := fs.Bool("list", false, "list the studies and their claims")
	var o study.Options
	o.AddFlags(fs)
	out := fs.String("out", "", "study folder (default runs/study-NAME); rerunning the same command continues it")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, "print only the epoch lines of each run")
	names, err := parseInterleaved(e, fs, "convnets study inception -seeds 3\n  convnets study batchnorm -seeds 3 -dataset mnist\n"+
		"  convnets study inception -budget 20m\n  convnets study -list", args)
	if err != nil {
		return err
	}
	if *list {
		return study.WriteList(e.stdout)
	}
	s, err := study.Find(names, o)
	if err != nil {
		return err
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
	r.WriteDone(e.stdout, dir, time.Since(start))
	return nil
}
