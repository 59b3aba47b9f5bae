package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/convnets/convnets/train"
)

// Profiled runs f under a CPU profile written to path (none when path
// is empty, or on MPI ranks other than 0); dir, when not empty, is the run
// directory f will create, checked first: a profile path inside an
// earlier run (its weights.ckpt, say) must not be touched before that run
// is refused.
func Profiled(ctx context.Context, path, dir string, f func() error) error {
	if path == "" || !RankZero(ctx) {
		return f()
	}
	stop, err := startProfile(path, dir)
	if err != nil {
		return err
	}
	defer stop()
	return f()
}

// startProfile starts a CPU profile into path, after checking that dir,
// when not empty, may become a new run directory; stop ends it.
func startProfile(path, dir string) (stop func(), err error) {
	if dir != "" {
		if err := train.CheckNewRunDir(dir); err != nil {
			return nil, err
		}
	}
	// A new file only: a profile must never overwrite a checkpoint, a job
	// file or anything else that is already there.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, InputError{fmt.Errorf("-cpuprofile %s: the file exists; remove it or name a new one", path)}
	}
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
