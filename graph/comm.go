package graph

import "context"

// Comm joins the processes that train one network together, as the ranks
// of an MPI job do: the data-parallel replicas of a training step are
// split over them (CompileDistributed), and their results are exchanged
// with Allgather and combined in the same fixed order as in one process.
type Comm interface {
	// Rank is this process's place, 0 to Size-1.
	Rank() int
	// Size is the number of processes.
	Size() int
	// Allgather sends send (the same length on every rank) and fills recv
	// (Size times as long) with every rank's send, in rank order.
	Allgather(send, recv []float32) error
}

type commKey struct{}

// WithComm returns ctx carrying c, for the training that runs under ctx.
func WithComm(ctx context.Context, c Comm) context.Context {
	return context.WithValue(ctx, commKey{}, c)
}

// CommFrom is the Comm that ctx carries, or nil (one process).
func CommFrom(ctx context.Context) Comm {
	c, _ := ctx.Value(commKey{}).(Comm)
	return c
}

// Distributed says whether p's training steps span several processes
// (CompileDistributed over more than one).
func (p *Program) Distributed() bool { return p.rep != nil && p.rep.dist != nil }

// AskStop tells the other processes, with the next Step, that this one
// wants to stop (an interrupt); Stopping then says, on every process,
// whether any of them asked, so that all stop after the same step. In one
// process it does nothing (the loop stops at once there).
func (p *Program) AskStop(stop bool) {
	if p.Distributed() {
		p.rep.dist.stop = stop
	}
}

// Stopping says whether some process asked to stop during the last Step
// (always false in one process).
func (p *Program) Stopping() bool { return p.Distributed() && p.rep.dist.stopped }
