package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/convnets/convnets/cmd/jobs"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	mf := addModelFlags(fs)
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	if err := parse(e, fs, "convnets serve -run runs/lenet5-relu\n  convnets serve -weights lenet.safetensors -addr :8080", args); err != nil {
		return err
	}
	m, err := mf.open(e, "", jobs.WeightsOptions{Batch: 1, NoTestSet: true})
	if err != nil {
		return err
	}
	defer m.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: jobs.NewDemo(m, mf.describe(m)), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "draw at http://%s/ (Ctrl-C ends)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
