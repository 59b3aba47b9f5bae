//go:build mpi

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mpirun runs `mpirun -np 2` on the convnets binary bin with args and
// returns its exit status and output; started, when a stop is given, is
// called once the run has begun, to interrupt it.
func mpirun(t *testing.T, bin string, stop func(*exec.Cmd), args ...string) (int, string) {
	t.Helper()
	flags := []string{"--oversubscribe", "-np", "2"}
	if os.Geteuid() == 0 {
		flags = append(flags, "--allow-run-as-root")
	}
	cmd := exec.Command("mpirun", append(append(flags, bin), args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("mpirun: %v", err)
	}
	if stop != nil {
		stop(cmd)
	}
	err := cmd.Wait()
	code := 0
	if e, ok := err.(*exec.ExitError); ok {
		code = e.ExitCode()
	} else if err != nil {
		t.Fatalf("mpirun: %v", err)
	}
	return code, out.String()
}

// TestMPI: the default job on 2 ranks (lenet5-relu's 2 replicas, one per
// rank) ends with the weights of one process with 2 replicas, bit for bit;
// interrupted by a SIGTERM to mpirun it stops on both ranks at the same
// step with a checkpoint, and resumed on 2 ranks or on 1 it ends with the
// same weights again.
func TestMPI(t *testing.T) {
	if _, err := exec.LookPath("mpirun"); err != nil {
		t.Fatal("mpirun not found: apt-get install openmpi-bin libopenmpi-dev")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "convnets")
	build := exec.Command("go", "build", "-tags", "mpi", "-o", bin, ".")
	build.Dir = filepath.Join("..", "convnets")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags mpi: %v\n%s", err, out)
	}
	job := []string{"-epochs", "2", "-limit-train", "20000", "-limit-test", "500", "-quiet"}
	one := filepath.Join(tmp, "one")
	if _, errOut, code := convnets(t, append([]string{"train", "-out", one, "-replicas", "2"}, job...)...); code != 0 {
		t.Fatalf("one process: exit %d %s", code, errOut)
	}
	want := weightsHash(t, one)

	two := filepath.Join(tmp, "two")
	if code, out := mpirun(t, bin, nil, append([]string{"train", "-out", two}, job...)...); code != 0 {
		t.Fatalf("mpirun: exit %d\n%s", code, out)
	}
	if got := weightsHash(t, two); got != want {
		t.Fatalf("2 ranks: weights %s, one process with 2 replicas %s", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(two, "job.json")); err != nil || !strings.Contains(string(b), `"ranks": 2`) {
		t.Fatalf("job.json does not record 2 ranks (%v)", err)
	}

	for _, resumeRanks := range []int{2, 1} {
		dir := filepath.Join(tmp, "stopped"+string(rune('0'+resumeRanks)))
		_, out := mpirun(t, bin, func(cmd *exec.Cmd) {
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if _, err := os.Stat(filepath.Join(dir, "metrics.csv")); err == nil {
					break
				}
			}
			cmd.Process.Signal(syscall.SIGTERM)
		}, append([]string{"train", "-out", dir}, job...)...)
		if strings.Count(out, "holds the run so far") != 1 || strings.Count(out, "this process writes no checkpoint") != 1 {
			t.Fatalf("SIGTERM: want rank 0 stopped with a checkpoint and rank 1 stopped without one:\n%s", out)
		}
		steps := map[string]bool{}
		for _, line := range strings.Split(out, "\n") {
			if i := strings.Index(line, "stopped in epoch"); i >= 0 {
				steps[strings.Fields(line[i:])[5]] = true
			}
		}
		if len(steps) != 1 {
			t.Fatalf("the ranks stopped after different steps %v:\n%s", steps, out)
		}
		if resumeRanks == 2 {
			if code, out := mpirun(t, bin, nil, "train", "-resume", dir, "-quiet"); code != 0 {
				t.Fatalf("resume on 2 ranks: exit %d\n%s", code, out)
			}
		} else if _, errOut, code := convnets(t, "train", "-resume", dir, "-quiet"); code != 0 {
			t.Fatalf("resume in one process: exit %d %s", code, errOut)
		}
		if got := weightsHash(t, dir); got != want {
			t.Fatalf("stopped by SIGTERM, resumed on %d rank(s): weights %s, never stopped %s", resumeRanks, got, want)
		}
	}
}

// weightsHash is eval -json's weights_sha256 of the run in dir.
func weightsHash(t *testing.T, dir string) string {
	t.Helper()
	out, errOut, code := convnets(t, "eval", "-run", dir, "-json")
	if code != 0 {
		t.Fatalf("eval %s: exit %d %s", dir, code, errOut)
	}
	i := strings.Index(out, `"weights_sha256"`)
	if i < 0 {
		t.Fatalf("eval -json has no weights_sha256: %s", out)
	}
	return strings.Fields(out[i:])[1]
}
