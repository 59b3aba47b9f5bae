//go:build !mpi

package mpi

import (
	"strings"
	"testing"
)

// TestRefusedUnderMpirun: a binary without MPI started by mpirun refuses
// in one line that says how to build with MPI; outside mpirun it is one
// process.
func TestRefusedUnderMpirun(t *testing.T) {
	t.Setenv("OMPI_COMM_WORLD_SIZE", "")
	if w, err := Join(); w != nil || err != nil {
		t.Fatalf("outside mpirun: %v, %v", w, err)
	}
	t.Setenv("OMPI_COMM_WORLD_SIZE", "2")
	_, err := Join()
	if err == nil || !strings.Contains(err.Error(), "go build -tags mpi") || !strings.Contains(err.Error(), "libopenmpi-dev") ||
		strings.Contains(err.Error(), "\n") {
		t.Fatalf("under mpirun: %v", err)
	}
}
