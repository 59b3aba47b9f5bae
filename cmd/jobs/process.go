package jobs

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/internal/mpi"
)

// Process runs main as a whole convnets process and returns its exit
// status for os.Exit.
//
// Interrupts: the first interrupt (Ctrl-C) or SIGTERM cancels main's
// context when saves is true (a training finishes its step and writes a
// checkpoint), and otherwise ends the process at once with status 130; a
// second one always ends it at once.
//
// MPI: under mpirun, main runs on every rank when ranked is true, rank 0
// alone printing to stdout and a failing rank aborting the whole job (never
// a hang of the others in an exchange); when ranked is false, a job of
// more than one rank is refused.
func Process(saves, ranked bool, main func(ctx context.Context, stdout io.Writer) int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done(): // main returned
			return
		}
		signal.Reset(os.Interrupt, syscall.SIGTERM) // a second signal ends the process at once
		cancel()
		if !saves {
			fmt.Fprintln(os.Stderr, "convnets: interrupted")
			os.Exit(130)
		}
		fmt.Fprintln(os.Stderr, "convnets: interrupted: finishing the step and writing a checkpoint (interrupt again to quit at once)")
	}()
	world, err := mpi.Join()
	if err != nil {
		fmt.Fprintf(os.Stderr, "convnets: %v\n", err)
		return 1
	}
	if world == nil {
		return main(ctx, os.Stdout)
	}
	defer world.Close()
	if world.Size() <= 1 {
		return main(ctx, os.Stdout)
	}
	if !ranked {
		fmt.Fprintf(os.Stderr, "convnets: under mpirun (%d ranks) only train runs; run other commands without mpirun\n", world.Size())
		world.Abort(2)
		return 2
	}
	stdout := io.Writer(os.Stdout)
	if world.Rank() != 0 {
		stdout = io.Discard
	}
	code := main(graph.WithComm(ctx, world), stdout)
	if code != 0 && code != 130 {
		world.Abort(code)
	}
	return code
}
