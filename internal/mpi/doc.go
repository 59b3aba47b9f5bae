// Package mpi is convnets' thin binding to Open MPI, for data-parallel
// training over several processes (`mpirun -np P convnets train ...`):
// joining the job, this process's rank and the job's size, an all-gather
// of float32 buffers, and abort. It needs cgo and Open MPI, so it is only
// in builds with the mpi tag (go build -tags mpi); the default build has a
// stand-in that refuses to run under mpirun.
package mpi
