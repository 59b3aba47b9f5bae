//go:build !mpi

package mpi

import (
	"errors"
	"fmt"
	"os"
)

// Built says whether this binary was built with MPI.
const Built = false

// World is this process's place in an MPI job; this build has none.
type World struct{}

// Join refuses to run under mpirun, where every process would train the
// whole job alone, and otherwise returns nil: one process.
func Join() (*World, error) {
	if size := os.Getenv("OMPI_COMM_WORLD_SIZE"); size != "" {
		return nil, fmt.Errorf("started by mpirun (OMPI_COMM_WORLD_SIZE=%s) but built without MPI: build with go build -tags mpi -o convnets ./cmd/convnets (needs apt-get install openmpi-bin libopenmpi-dev)", size)
	}
	return nil, nil
}

var errNone = errors.New("mpi: built without MPI")

// Rank is 0.
func (w *World) Rank() int { return 0 }

// Size is 1.
func (w *World) Size() int { return 1 }

// Allgather fails: there is no job.
func (w *World) Allgather(send, recv []float32) error { return errNone }

// Abort does nothing.
func (w *World) Abort(int) {}

// Close does nothing.
func (w *World) Close() error { return nil }
