//go:build unix

package cli

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the command itself when CONVNETS_RUN_MAIN holds a command
// line, so that a test can start it as a process and signal it.
func TestMain(m *testing.M) {
	if args := os.Getenv("CONVNETS_RUN_MAIN"); args != "" {
		os.Exit(Run(strings.Fields(args), nil))
	}
	os.Exit(m.Run())
}

// TestInterruptEndsEveryCommand: Ctrl-C ends a command that is not
// training (here a long timing) at once, with status 130.
func TestInterruptEndsEveryCommand(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CONVNETS_RUN_MAIN=summary -arch lenet5 -time -batch 512 -steps 100000")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 130 || !strings.Contains(stderr.String(), "interrupted") {
			t.Fatalf("after SIGINT: %v, stderr %q; want exit 130 saying interrupted", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the command ignored SIGINT for 10 s")
	}
}
