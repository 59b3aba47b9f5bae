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
	runDir := fs.String("run", "", "run directory written by convnets train")
	which := fs.String("checkpoint", "final", "which weights of -run: final, last or best")
	weightsFile := fs.String("weights", "", "a safetensors file (convnets export) instead of a run")
	archName := fs.String("arch", "", "with -weights: the architecture (default: the file's metadata)")
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	if err := parse(e, fs, "convnets serve -run runs/lenet5-relu\n  convnets serve -weights lenet.safetensors -addr :8080", args); err != nil {
		return err
	}
	if (*runDir == "") == (*weightsFile == "") {
		return usageError{fmt.Errorf("give -run DIR or -weights FILE")}
	}
	var (
		m    *jobs.Model
		err  error
		desc string
	)
	if *runDir != "" {
		m, err = jobs.OpenRun(e.reg, *runDir, *which, "")
		desc = fmt.Sprintf("the %s weights of the run %s, trained on %s", *which, *runDir, datasetOf(m))
	} else {
		m, err = jobs.OpenWeights(e.reg, *weightsFile, jobs.WeightsOptions{Arch: *archName, Batch: 1, NoTestSet: true})
		desc = "the weights in " + *weightsFile
	}
	if err != nil {
		return err
	}
	defer m.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: jobs.NewDemo(m, desc), ReadHeaderTimeout: 10 * time.Second}
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

// datasetOf names what a model was trained on, for the demo's page.
func datasetOf(m *jobs.Model) string {
	if m == nil {
		return ""
	}
	if m.Job.Dataset != "" {
		return m.Job.Dataset
	}
	return m.Job.Data
}
