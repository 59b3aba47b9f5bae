//go:build unix

package train

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRunDirLock: while one writer holds a run directory a second is
// refused with the holder's PID; after unlock the directory can be taken
// again.
func TestRunDirLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockRunDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockRunDir(dir); err == nil || !strings.Contains(err.Error(), "in use by process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second writer: %v, want an error naming this process", err)
	}
	unlock()
	if _, err := os.Stat(filepath.Join(dir, LockFile)); err != nil {
		t.Fatalf("lock file after unlock: %v", err)
	}
	unlock, err = lockRunDir(dir)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock()
}
