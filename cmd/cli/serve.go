package cli

import (
	"context"
	"flag"

	"github.com/convnets/convnets/cmd/jobs"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	mf := jobs.AddModelFlags(fs)
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	if err := parse(e, fs, "convnets serve -run runs/lenet5-relu\n  convnets serve -weights lenet.safetensors -addr :8080", args); err != nil {
		return err
	}
	m, err := mf.Open(e.reg, "", jobs.WeightsOptions{Batch: 1, NoTestSet: true})
	if err != nil {
		return err
	}
	defer m.Close()
	return jobs.ServeDemo(ctx, m, *addr, e.stdout)
}
