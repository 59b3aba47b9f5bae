//go:build unix

package train

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/pkg/errors"
)

// lockRunDir takes dir's lock (an flock on dir/.lock, which names the
// holder's PID) for as long as a process writes in the run, or says which
// process holds it: two writers would interleave metrics.csv and
// checkpoints. unlock releases it; a process that dies releases it too (the
// kernel drops the flock). The file stays: removing it while locked would
// let a process that opened it just before lock a deleted file while a third
// one creates and locks a new one.
func lockRunDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, errors.Wrap(err, "run directory lock")
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := io.ReadAll(io.LimitReader(f, 32))
		f.Close()
		holder := strings.TrimSpace(string(b))
		if holder == "" {
			holder = "another process"
		} else {
			holder = "process " + holder
		}
		return nil, errors.Errorf("run directory %s is in use by %s (a training or a resume): wait for it to end", dir, holder)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}
