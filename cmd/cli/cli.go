package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/train"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a subcommand runs with.
type env struct {
	stdout, stderr io.Writer
	reg            *arch.Registry
}

var commands = []command{
	{"train", "train a network on MNIST or Fashion-MNIST and write a run directory", runTrain},
	{"eval", "report the test accuracy of a trained run or a safetensors file", runEval},
	{"export", "write a run's weights as safetensors that PyTorch loads", runExport},
	{"predict", "classify image files (PNG, JPEG, GIF) with a trained run or a safetensors file", runPredict},
	{"serve", "a page to draw a digit on and watch a trained network's guesses", runServe},
	{"summary", "print a network's layers, parameters and MACs", runSummary},
	{"compare", "compare costs: the lecture's Inception study, or networks side by side", runCompare},
	{"plot", "draw the learning curves of one run or several", runPlot},
	{"diagram", "write a block-level Graphviz diagram of an architecture", runDiagram},
	{"bench", "measure training speed against PyTorch", runBench},
	{"leaderboard", "tabulate finished runs: costs, recipe, time, test accuracy, d2l's figure", runLeaderboard},
	{"study", "measure one of the lecture's claims: networks trained with seeds, a report with verdicts", runStudy},
	{"list", "list the registered architectures (and -recipes: their recommended jobs)", runList},
}

// Run is a whole convnets program over reg's networks: it runs the command
// line args (without the program's name), and returns the exit status for
// os.Exit. An interrupt (Ctrl-C) or SIGTERM ends every command at once with
// status 130, except training, which finishes its step and writes a
// checkpoint first; a second one ends it at once. Under mpirun only train
// runs, on every rank (see jobs.Process).
func Run(args []string, reg *arch.Registry) int {
	ranked := len(args) > 0 && args[0] == "train"
	return jobs.Process(savesOnInterrupt(args), ranked, func(ctx context.Context, stdout io.Writer) int {
		return Main(ctx, args, reg, stdout, os.Stderr)
	})
}

// savesOnInterrupt says whether the command line trains, and so stops at
// an interrupt only after the current step, with a checkpoint to resume
// from; every other command ends at once.
func savesOnInterrupt(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "train", "study":
		return true
	case "compare":
		train := false
		for _, a := range args[1:] {
			name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
			if name != "train" || !strings.HasPrefix(a, "-") {
				continue
			}
			train = true
			if hasValue {
				train, _ = strconv.ParseBool(value)
			}
		}
		return train
	}
	return false
}

// Main executes one command line (without the program's name) over the
// networks of reg and returns the exit code: 0 on success, 1 on a failure,
// 2 on a usage error, 130 when training was interrupted (after writing a
// checkpoint to resume from). Cancelling ctx interrupts a training as
// Ctrl-C does. A program of your own that registers its networks gets
// every subcommand for them: os.Exit(cli.Run(os.Args[1:], reg)).
func Main(ctx context.Context, args []string, reg *arch.Registry, stdout, stderr io.Writer) int {
	if reg == nil {
		reg = arch.Builtin()
	}
	e := &env{stdout: stdout, stderr: stderr, reg: reg}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return Main(ctx, []string{args[1], "-h"}, reg, stdout, stderr)
		}
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case err == flag.ErrHelp:
			return 0
		case errors.Is(err, train.ErrInterrupted):
			fmt.Fprintf(stderr, "convnets %s: %s\n", c.name, oneLine(err))
			return 130
		case isUsage(err):
			fmt.Fprintf(stderr, "convnets %s: %v (see 'convnets %s -h')\n", c.name, err, c.name)
			return 2
		default:
			fmt.Fprintf(stderr, "convnets %s: %s\n", c.name, oneLine(err))
			return 1
		}
	}
	fmt.Fprintf(stderr, "convnets: unknown command %q (see 'convnets help')\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "convnets trains, evaluates and measures classic CNNs on MNIST and Fashion-MNIST, built as Gorgonia graphs.")
	fmt.Fprintln(w, "\nUsage: convnets <command> [flags]   (convnets <command> -h for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}

// usageError marks an error in the command line itself.
type usageError struct{ error }

func isUsage(err error) bool {
	var input jobs.InputError
	_, ok := err.(usageError)
	return ok || errors.As(err, &input)
}

// parse parses args with fs, turning flag errors into one-line usage
// errors; -h prints the usage with its example to stdout.
func parse(e *env, fs *flag.FlagSet, example string, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if err == flag.ErrHelp {
		fs.SetOutput(e.stdout)
		fmt.Fprintf(e.stdout, "Usage of convnets %s:\n", fs.Name())
		fs.PrintDefaults()
		fmt.Fprintf(e.stdout, "\nExample:\n  %s\n", example)
		return flag.ErrHelp
	}
	if err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// oneLine keeps an error message on one line.
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
