package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"

	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/train/weights"
)

func runLeaderboard(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("leaderboard", flag.ContinueOnError)
	var dirs runs
	fs.Var(&dirs, "run", "a finished run directory (repeat: one row each, in this order)")
	title := fs.String("title", "", "a line above the Markdown table")
	out := fs.String("o", "", "write to FILE instead of standard output")
	format := jobs.AddFormatFlags(fs, "print Markdown: the table, then each run's command")
	from := fs.String("from", "", "render a leaderboard written earlier with -json (instead of -run)")
	if err := parse(e, fs, "convnets leaderboard -run runs/fashion/lenet5 -run runs/fashion/vgg11-mnist -json -o board.json\n"+
		"  convnets leaderboard -from board.json -md", args); err != nil {
		return err
	}
	if (len(dirs) == 0) == (*from == "") {
		return usageError{fmt.Errorf("give -run DIR (one or more) or -from FILE")}
	}
	f, err := format()
	if err != nil {
		return err
	}
	lb, err := jobs.Leaderboard(e.reg, dirs, *from, *title)
	if err != nil {
		return err
	}
	if *out == "" {
		return lb.Write(e.stdout, f)
	}
	var b bytes.Buffer
	if err := lb.Write(&b, f); err != nil {
		return err
	}
	return weights.WriteFileAtomic(*out, b.Bytes())
}
