package safefile

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// Open opens path for reading if it is a regular file. It opens without
// waiting (a FIFO with no writer would block a plain open), then checks
// the file it got.
func Open(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: not a regular file (%v)", path, fi.Mode().Type())
	}
	return f, fi, nil
}

// ReadFile reads the regular file path whole, refusing one of more than
// limit bytes (what names the file in the error: "job file").
func ReadFile(path, what string, limit int64) ([]byte, error) {
	f, fi, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than a %s may have (%d)", path, fi.Size(), what, limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit { // it grew while being read
		return nil, fmt.Errorf("%s: more than a %s may have (%d bytes)", path, what, limit)
	}
	return b, nil
}
