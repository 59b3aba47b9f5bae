package graph

// colBudget is the memory (bytes) a Net may spend on kept columns: the
// im2col matrices of its convolutions' forward passes, kept for their
// weight gradients, which would otherwise gather the same columns again.
// The MNIST presets' convolutions fit whole at batch 64 (36 MiB for
// Inception-BN, 63 MiB for GoogLeNet); a network on large images keeps
// those of its first layers that fit and gathers the rest as before. The
// budget is a Net's: data-parallel replicas, a Net each on a shard of the
// batch, may keep up to that much each.
const colBudget = 64 << 20

// colCache keeps one convolution's columns from its forward pass to its
// weight gradient. The columns are laid out as the weight gradient reads
// them: the batch in groups of convGeom.group images (colBlock), each
// group a CKK x (images x OH x OW) matrix, so the weight gradient's
// products are the ones it would make from columns of its own, and the
// forward products read the same values at another row stride; neither
// result changes by a bit.
type colCache struct {
	// wanted is set when a weight-gradient op reads the cache (SymDiff):
	// a forward pass with no gradient keeps nothing.
	wanted bool
	// evaluating is set while the Program runs its forward-only machine
	// (Program.setTraining): those passes gather into the scratch space
	// as before, and leave the kept columns alone.
	evaluating bool
	s32        colSlot[float32]
	s64        colSlot[float64]
}

// colSlot is the kept columns of one dtype and the input they came from.
type colSlot[T float32 | float64] struct {
	cols []T
	// src is the first element of the input the forward pass read; the
	// weight gradient uses the columns only for that same input tensor.
	src *T
}

// slot returns c's columns of dtype T, or nil when c keeps none.
func slot[T float32 | float64](c *colCache) *colSlot[T] {
	if c == nil || !c.wanted || c.evaluating {
		return nil
	}
	if s, ok := any(&c.s32).(*colSlot[T]); ok {
		return s
	}
	s, _ := any(&c.s64).(*colSlot[T])
	return s
}

// colBytes is the size of a convolution's columns for the whole batch.
func (g convGeom) colBytes(elem int) int64 {
	return int64(g.ckk()) * int64(g.ohw()) * int64(g.b) * int64(elem)
}

// keepsCols says whether the forward pass of g would keep its columns:
// it gathers columns (not a 1x1 convolution, which reads the images in
// place, nor a Winograd pass, which has none).
func (g convGeom) keepsCols() bool {
	return !g.pointwise() && !g.winograd(convForward)
}

// colBlock locates image b0's group in kept columns: the group's first
// image g0, its images nb, and the offset of its matrix (row stride
// nb x OH x OW).
func (g convGeom) colBlock(b0 int) (g0, nb, off int) {
	per := min(g.group(), g.b)
	g0 = b0 / per * per
	return g0, min(per, g.b-g0), g0 * g.ckk() * g.ohw()
}

// newColCache reserves a column cache for a convolution of geometry g
// from the Net's budget, or returns nil when it does not fit or would not
// be used.
func (n *Net) newColCache(g convGeom) *colCache {
	size := g.colBytes(int(n.dt.Size()))
	if !g.keepsCols() || size > n.colsLeft {
		return nil
	}
	n.colsLeft -= size
	c := &colCache{}
	n.colCaches = append(n.colCaches, c)
	return c
}

// ensure makes the slot's space for g's columns, once.
func (s *colSlot[T]) ensure(g convGeom) {
	if n := int(g.colBytes(1)); len(s.cols) != n {
		s.cols = make([]T, n)
	}
}

// holds says whether the slot holds the columns of input x.
func (s *colSlot[T]) holds(x []T) bool {
	return s.src != nil && len(x) > 0 && s.src == &x[0]
}

// kept returns the kept columns from image b0 to the end of its group as
// a matrix view (row stride: the group's images x OH x OW).
func kept[T float32 | float64](s *colSlot[T], g convGeom, b0 int) mat[T] {
	g0, nb, off := g.colBlock(b0)
	ld := nb * g.ohw()
	return mat[T]{d: s.cols[off+(b0-g0)*g.ohw() : off+g.ckk()*ld], ld: ld}
}
