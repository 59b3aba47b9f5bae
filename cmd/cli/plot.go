package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/convnets/convnets/eval/plots"
)

// runs collects repeated -run flags.
type runs []string

func (r *runs) String() string     { return strings.Join(*r, ",") }
func (r *runs) Set(v string) error { *r = append(*r, v); return nil }

func runPlot(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	var dirs runs
	fs.Var(&dirs, "run", "run directory (repeat to draw several runs in one chart)")
	out := fs.String("o", "", "output FILE.png or FILE.svg (default with one run: its curves.png and curves.svg)")
	if err := parse(e, fs, "convnets plot -run runs/lenet\n  convnets plot -run runs/a -run runs/b -o ab.png", args); err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usageError{errRequired("-run")}
	}
	if err := checkPlotName(*out); err != nil {
		return err
	}
	if *out == "" && len(dirs) > 1 {
		return usageError{fmt.Errorf("with several -run, name the output with -o FILE.png or FILE.svg")}
	}
	files, err := plots.PlotRuns(dirs, *out)
	for _, f := range files {
		fmt.Fprintln(e.stdout, "wrote", f)
	}
	return err
}
