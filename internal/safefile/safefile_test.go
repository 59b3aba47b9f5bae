//go:build unix

package safefile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "job.json")
	if err := os.WriteFile(small, []byte(`{"epochs": 2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(small, "job file", 100); err != nil || string(b) != `{"epochs": 2}` {
		t.Fatalf("%q, %v", b, err)
	}
	if _, err := ReadFile(small, "job file", 5); err == nil || !strings.Contains(err.Error(), "more than a job file may have") {
		t.Fatalf("over the limit: %v", err)
	}
	if _, err := ReadFile(dir, "job file", 100); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a directory: %v", err)
	}
	if _, err := ReadFile("/dev/zero", "job file", 100); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("/dev/zero: %v", err)
	}
}

// TestFIFO: a FIFO with no writer is refused at once, not waited on.
func TestFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(fifo, "job file", 100); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
}
