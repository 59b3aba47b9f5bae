package graph

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// concatOp joins tensors along axis 1 with block copies (Gorgonia's
// Concat walks elements with an iterator, several times slower). Its
// gradient is one concatPartOp per input, which copies that input's
// channels out of the output's gradient.
type concatOp struct {
	opBase
	shapes [][]int // the inputs' shapes
	out    []int
	buf    outBuf
}

func newConcatOp(shapes [][]int) *concatOp {
	out := append([]int(nil), shapes[0]...)
	out[1] = 0
	for _, s := range shapes {
		out[1] += s[1]
	}
	return &concatOp{shapes: shapes, out: out}
}

// inner is the number of elements per channel of one image.
func (op *concatOp) inner() int { return int(prod(op.out[2:])) }

func (op *concatOp) Arity() int { return len(op.shapes) }
func (op *concatOp) Type() hm.Type {
	t := &G.TensorType{Dims: len(op.out), Of: hm.TypeVariable('a')}
	ts := make([]hm.Type, len(op.shapes)+1)
	for i := range ts {
		ts[i] = t
	}
	return hm.NewFnType(ts...)
}
func (op *concatOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.out).Clone(), nil
}
func (op *concatOp) String() string        { return fmt.Sprintf("convnetsConcat%v", op.shapes) }
func (op *concatOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op) }
func (op *concatOp) Hashcode() uint32      { return hashOf(op) }

func (op *concatOp) Do(inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	if len(inputs) == 0 {
		return nil, errors.Errorf("%s: no inputs", op)
	}
	out := op.buf.get(inputs[0].Dtype(), op.out)
	return out, op.join(out, inputs)
}

func (op *concatOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	out, ok := prealloc.(*tensor.Dense)
	if !ok {
		return nil, errors.Errorf("%s: preallocated value is %T", op, prealloc)
	}
	return out, op.join(out, inputs)
}

func (op *concatOp) join(out *tensor.Dense, inputs []G.Value) error {
	if len(inputs) != len(op.shapes) {
		return errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	switch o := out.Data().(type) {
	case []float32:
		return joinInto(op, o, inputs)
	case []float64:
		return joinInto(op, o, inputs)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func joinInto[T float32 | float64](op *concatOp, out []T, inputs []G.Value) error {
	inner, c := op.inner(), op.out[1]
	off := 0
	for i, in := range inputs {
		x, ok := in.Data().([]T)
		if !ok {
			return errors.Errorf("%s: input %d has dtype %v", op, i, in.Dtype())
		}
		ci := op.shapes[i][1]
		for b := 0; b < op.out[0]; b++ {
			copy(out[(b*c+off)*inner:(b*c+off+ci)*inner], x[b*ci*inner:(b+1)*ci*inner])
		}
		off += ci
	}
	return nil
}

func (op *concatOp) DiffWRT(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}

func (op *concatOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	out := make(G.Nodes, len(inputs))
	off := 0
	for i := range inputs {
		var err error
		if out[i], err = G.ApplyOp(&concatPartOp{fwd: op, i: i, off: off}, grad); err != nil {
			return nil, err
		}
		off += op.shapes[i][1]
	}
	return out, nil
}

// concatPartOp copies input i's channels (from off) out of a concat's
// output gradient.
type concatPartOp struct {
	opBase
	fwd    *concatOp
	i, off int
	out    outBuf
}

func (op *concatPartOp) Arity() int { return 1 }
func (op *concatPartOp) Type() hm.Type {
	t := &G.TensorType{Dims: len(op.fwd.out), Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t)
}
func (op *concatPartOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(op.fwd.shapes[op.i]).Clone(), nil
}
func (op *concatPartOp) String() string        { return fmt.Sprintf("convnetsConcatPart%d(%s)", op.i, op.fwd) }
func (op *concatPartOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s@%p", op, op.fwd) }
func (op *concatPartOp) Hashcode() uint32      { return hashOf(op) }

func (op *concatPartOp) Do(inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	if len(inputs) != 1 {
		return nil, errors.Errorf("%s: %d inputs", op, len(inputs))
	}
	out := op.out.get(inputs[0].Dtype(), op.fwd.shapes[op.i])
	return out, op.part(out, inputs[0])
}

func (op *concatPartOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (_ G.Value, err error) {
	defer recoverOp(&err, op)
	out, ok := prealloc.(*tensor.Dense)
	if !ok || len(inputs) != 1 {
		return nil, errors.Errorf("%s: preallocated value %T, %d inputs", op, prealloc, len(inputs))
	}
	return out, op.part(out, inputs[0])
}

func (op *concatPartOp) part(out *tensor.Dense, grad G.Value) error {
	switch o := out.Data().(type) {
	case []float32:
		return partInto(op, o, grad)
	case []float64:
		return partInto(op, o, grad)
	}
	return errors.Errorf("%s: dtype %v", op, out.Dtype())
}

func partInto[T float32 | float64](op *concatPartOp, out []T, grad G.Value) error {
	g, ok := grad.Data().([]T)
	if !ok {
		return errors.Errorf("%s: gradient dtype %v", op, grad.Dtype())
	}
	inner, c, ci := op.fwd.inner(), op.fwd.out[1], op.fwd.shapes[op.i][1]
	for b := 0; b < op.fwd.out[0]; b++ {
		copy(out[b*ci*inner:(b+1)*ci*inner], g[(b*c+op.off)*inner:(b*c+op.off+ci)*inner])
	}
	return nil
}
