package graph

import "github.com/convnets/convnets/internal/bnrows"

// The elementwise loops of batch norm, through internal/bnrows: its AVX2
// kernels in float32, its plain loops in float64; the same bits either way.
// The type switches look through pointers to the slices, which allocates
// nothing.

// normalizeRun writes x's run normalised by c into dst, clamped to
// [0, ceil] by a fused activation act.
func normalizeRun[T float32 | float64](dst, x []T, c bnrows.Affine[T], act bnAct) {
	d32, ok := any(&dst).(*[]float32)
	switch {
	case ok && act != bnNone:
		bnrows.NormalizeClamp(*d32, *any(&x).(*[]float32), c.Float32(), top[float32](act))
	case ok:
		bnrows.Normalize(*d32, *any(&x).(*[]float32), c.Float32())
	case act != bnNone:
		bnrows.NormalizeClampLoop(dst, x, c, top[T](act))
	default:
		bnrows.NormalizeLoop(dst, x, c)
	}
}

// gradRun writes the input gradient of a run into dst from dy, x and, with
// a fused activation act, its outputs y.
func gradRun[T float32 | float64](dst, dy, y, x []T, c bnrows.GradConsts[T], act bnAct) {
	if d32, ok := any(&dst).(*[]float32); ok {
		dy32, x32, c32 := *any(&dy).(*[]float32), *any(&x).(*[]float32), c.Float32()
		switch act {
		case bnReLU:
			bnrows.GradReLU(*d32, dy32, *any(&y).(*[]float32), x32, c32)
		case bnReLU6:
			bnrows.GradReLU6(*d32, dy32, *any(&y).(*[]float32), x32, c32)
		default:
			bnrows.Grad(*d32, dy32, x32, c32)
		}
		return
	}
	switch act {
	case bnReLU:
		bnrows.GradReLULoop(dst, dy, y, x, c)
	case bnReLU6:
		bnrows.GradReLU6Loop(dst, dy, y, x, c)
	default:
		bnrows.GradLoop(dst, dy, x, c)
	}
}
