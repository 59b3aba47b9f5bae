//go:build mpi

package mpi

/*
#cgo CFLAGS: -I/usr/lib/x86_64-linux-gnu/openmpi/include -I/usr/lib/aarch64-linux-gnu/openmpi/include -I/usr/include/openmpi -I/usr/local/include
#cgo LDFLAGS: -L/usr/lib/x86_64-linux-gnu/openmpi/lib -L/usr/lib/aarch64-linux-gnu/openmpi/lib -lmpi
#if !__has_include(<mpi.h>)
#error "convnets -tags mpi needs Open MPI's headers and library: apt-get install openmpi-bin libopenmpi-dev (Debian, Ubuntu)"
#endif
#include <mpi.h>

static int cn_init(int *rank, int *size, int *funneled) {
	int provided, err;
	err = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
	if (err != MPI_SUCCESS) return err;
	*funneled = provided >= MPI_THREAD_FUNNELED;
	if ((err = MPI_Comm_rank(MPI_COMM_WORLD, rank)) != MPI_SUCCESS) return err;
	return MPI_Comm_size(MPI_COMM_WORLD, size);
}

// Bytes, not MPI_FLOAT: the values travel bit for bit, whatever they hold.
static int cn_allgather(float *send, float *recv, int n) {
	return MPI_Allgather(send, 4 * n, MPI_BYTE, recv, 4 * n, MPI_BYTE, MPI_COMM_WORLD);
}

static int cn_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static int cn_finalize(void) { return MPI_Finalize(); }
*/
import "C"

import (
	"fmt"
	"math"
	"os"
	"runtime"
)

// MPI is called from the main goroutine only, on the main thread (MPI's
// FUNNELED level): the training loop's exchanges run there.
func init() { runtime.LockOSThread() }

// Built says whether this binary was built with MPI.
const Built = true

// World is this process's place in an MPI job.
type World struct{ rank, size int }

// Join initialises MPI and returns this process's World when the program
// was started by mpirun, and nil (one process, MPI untouched) otherwise.
// Open MPI's own handlers of crash signals are turned off first
// (OMPI_MCA_opal_signal): Go's runtime handles those signals itself.
func Join() (*World, error) {
	if os.Getenv("OMPI_COMM_WORLD_SIZE") == "" && os.Getenv("PMIX_RANK") == "" {
		return nil, nil
	}
	if _, set := os.LookupEnv("OMPI_MCA_opal_signal"); !set {
		os.Setenv("OMPI_MCA_opal_signal", "")
	}
	var rank, size, funneled C.int
	if err := C.cn_init(&rank, &size, &funneled); err != 0 {
		return nil, fmt.Errorf("mpi: MPI_Init_thread failed (error %d)", int(err))
	}
	w := &World{rank: int(rank), size: int(size)}
	if funneled == 0 {
		w.Abort(1)
		return nil, fmt.Errorf("mpi: this MPI library does not support MPI_THREAD_FUNNELED, which convnets needs")
	}
	return w, nil
}

// Rank is this process's rank, 0 to Size-1.
func (w *World) Rank() int { return w.rank }

// Size is the number of processes in the job.
func (w *World) Size() int { return w.size }

// Allgather sends send (the same length on every rank) and fills recv
// with every rank's, in rank order. An MPI failure ends the whole job
// (MPI's default error handler), so no rank waits for a dead one.
func (w *World) Allgather(send, recv []float32) error {
	n := len(send)
	if n == 0 || n > math.MaxInt32/4 || len(recv) != n*w.size {
		return fmt.Errorf("mpi: allgather of %d values into %d over %d ranks", n, len(recv), w.size)
	}
	if err := C.cn_allgather((*C.float)(&send[0]), (*C.float)(&recv[0]), C.int(n)); err != 0 {
		return fmt.Errorf("mpi: MPI_Allgather failed (error %d)", int(err))
	}
	return nil
}

// Abort ends every process of the job with code.
func (w *World) Abort(code int) { C.cn_abort(C.int(code)) }

// Close finalises MPI; the World is not used afterwards.
func (w *World) Close() error {
	if err := C.cn_finalize(); err != 0 {
		return fmt.Errorf("mpi: MPI_Finalize failed (error %d)", int(err))
	}
	return nil
}
