package graph

import (
	"fmt"
	"hash/fnv"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// hashOf is the Hashcode of convnets' own ops: the FNV-1a hash of what
// their WriteHash writes.
func hashOf(op G.Op) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// opBase is what every op of convnets says the same about itself: its value
// is a tensor of its own (not a pointer into an input), it calls nothing
// outside Go, and it overwrites none of its inputs. Each op embeds it.
type opBase struct{}

func (opBase) ReturnsPtr() bool     { return false }
func (opBase) CallsExtern() bool    { return false }
func (opBase) OverwritesInput() int { return -1 }

// opName is the name of an element-wise op of the given kind, or of its
// gradient, over a shape: "convnetsReLU[64 6 28 28]", "convnetsReLUGrad[...]".
func opName(kind string, grad bool, shape []int) string {
	if grad {
		kind += "Grad"
	}
	return fmt.Sprintf("convnets%s%v", kind, shape)
}

// outBuf is an op's output tensor, kept from run to run. Gorgonia's tape
// machine forgets its registers on every Reset, so each run would otherwise
// allocate (and zero) every activation and gradient anew, and the garbage
// collector would run every other step. The ops overwrite all of it each
// run. An op belongs to one node; the machines that share it run one at a
// time, and whatever reads an op's output reads it before the next run.
type outBuf struct{ t *tensor.Dense }

// get returns the kept tensor, with the given shape again if a reshape
// downstream changed it in place, or a new one if dtype or size differ.
func (o *outBuf) get(dt tensor.Dtype, shape []int) *tensor.Dense {
	if o.t != nil && o.t.Dtype() == dt && int64(o.t.Size()) == prod(shape) {
		if o.t.Shape().Eq(tensor.Shape(shape)) || o.t.Reshape(shape...) == nil {
			return o.t
		}
	}
	o.t = tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
	return o.t
}

// b2i is 1 for true and 0 for false; the compiler makes it a flag set, not a
// branch, which keeps loops over random signs free of mispredictions.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// Every op of convnets is a Gorgonia Op that writes into a preallocated
// value (else Gorgonia would silently allocate each run); the forward ops
// also differentiate themselves symbolically, and batch norm switches mode
// with the machines.
var (
	_ G.UsePreallocDoer = (*bnOp)(nil)
	_ G.UsePreallocDoer = (*bnSumsOp)(nil)
	_ G.UsePreallocDoer = (*bnGradOp)(nil)
	_ G.UsePreallocDoer = (*bnPickOp)(nil)
	_ G.UsePreallocDoer = (*concatOp)(nil)
	_ G.UsePreallocDoer = (*concatPartOp)(nil)
	_ G.UsePreallocDoer = (*convOp)(nil)
	_ G.UsePreallocDoer = (*dwOp)(nil)
	_ G.UsePreallocDoer = (*logSoftmaxOp)(nil)
	_ G.UsePreallocDoer = (*poolOp)(nil)
	_ G.UsePreallocDoer = (*poolGradOp)(nil)
	_ G.UsePreallocDoer = (*reluOp)(nil)
	_ G.UsePreallocDoer = (*pointwiseOp)(nil)
	_ G.UsePreallocDoer = (*sigmoidOp)(nil)
	_ G.UsePreallocDoer = (*sumOp)(nil)

	_ G.SDOp = (*bnOp)(nil)
	_ G.SDOp = (*concatOp)(nil)
	_ G.SDOp = (*convOp)(nil)
	_ G.SDOp = (*dwOp)(nil)
	_ G.SDOp = (*logSoftmaxOp)(nil)
	_ G.SDOp = (*poolOp)(nil)
	_ G.SDOp = (*reluOp)(nil)
	_ G.SDOp = (*pointwiseOp)(nil)
	_ G.SDOp = (*sigmoidOp)(nil)
	_ G.SDOp = (*sumOp)(nil)

	_ G.TrainModeOp = (*bnOp)(nil)
)

// filler is an op whose result is one tensor it fills from its inputs.
type filler interface {
	G.Op
	fill(out *tensor.Dense, inputs []G.Value) error
}

// doFill is a filler's Do: its kept output buffer, of the given shape and
// the first input's dtype, filled. A panic becomes the error (see
// recoverOp).
func doFill(op filler, buf *outBuf, shape []int, inputs []G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	if len(inputs) != op.Arity() {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	out := buf.get(inputs[0].Dtype(), shape)
	return out, op.fill(out, inputs)
}

// preallocFill is a filler's UsePreallocDo: Gorgonia's tensor, filled.
func preallocFill(op filler, prealloc G.Value, inputs []G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	out, ok := prealloc.(*tensor.Dense)
	if !ok || len(inputs) != op.Arity() {
		return nil, errors.Errorf("%s: preallocated value %T, %d inputs", op, prealloc, len(inputs))
	}
	return out, op.fill(out, inputs)
}
