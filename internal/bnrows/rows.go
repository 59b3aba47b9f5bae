package bnrows

// Affine holds the constants of a channel's normalisation: each value x
// becomes ((x-Hi)-Lo)*A + B, the mean taken off in two parts (its rounding
// to the value's type, Hi, and the rest, Lo).
type Affine[T float32 | float64] struct{ Hi, Lo, A, B T }

// GradConsts holds the constants of a channel's input gradient: dx =
// G*dy + K*((x-Hi)-Lo) + K0.
type GradConsts[T float32 | float64] struct{ Hi, Lo, G, K, K0 T }

// Normalize sets dst[i] to ((x[i]-Hi)-Lo)*A + B for i < len(dst); x has
// at least len(dst) values.
func Normalize(dst, x []float32, c Affine[float32]) {
	i := normalizeFast(dst, x, c)
	NormalizeLoop(dst[i:], x[i:len(dst)], c)
}

// NormalizeLoop is Normalize in plain Go, for float32 and float64.
func NormalizeLoop[T float32 | float64](dst, x []T, c Affine[T]) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = T(((v-c.Hi)-c.Lo)*c.A) + c.B
	}
}

// NormalizeClamp sets dst[i] to min(max(((x[i]-Hi)-Lo)*A + B, 0), ceil),
// Go's min and max: a NaN stays NaN, -0 becomes +0. ceil is +Inf for a
// ReLU, 6 for a ReLU6.
func NormalizeClamp(dst, x []float32, c Affine[float32], ceil float32) {
	i := normalizeClampFast(dst, x, c, ceil)
	NormalizeClampLoop(dst[i:], x[i:len(dst)], c, ceil)
}

// NormalizeClampLoop is NormalizeClamp in plain Go, for float32 and
// float64.
func NormalizeClampLoop[T float32 | float64](dst, x []T, c Affine[T], ceil T) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = min(max(T(((v-c.Hi)-c.Lo)*c.A)+c.B, 0), ceil)
	}
}

// Grad sets dst[i] to G*dy[i] + K*((x[i]-Hi)-Lo) + K0 for i < len(dst).
func Grad(dst, dy, x []float32, c GradConsts[float32]) {
	i := gradFast(dst, dy, x, c)
	GradLoop(dst[i:], dy[i:len(dst)], x[i:len(dst)], c)
}

// GradLoop is Grad in plain Go, for float32 and float64.
func GradLoop[T float32 | float64](dst, dy, x []T, c GradConsts[T]) {
	dy, x = dy[:len(dst)], x[:len(dst)]
	for i, v := range x {
		dst[i] = T(c.G*dy[i]) + T(c.K*((v-c.Hi)-c.Lo)) + c.K0
	}
}

// GradReLU is Grad behind a fused ReLU whose outputs are y: dy[i] counts
// where y[i] is not <= 0 (a NaN passes it), else +0.
func GradReLU(dst, dy, y, x []float32, c GradConsts[float32]) {
	i := gradReLUFast(dst, dy, y, x, c)
	GradReLULoop(dst[i:], dy[i:len(dst)], y[i:len(dst)], x[i:len(dst)], c)
}

// GradReLULoop is GradReLU in plain Go, for float32 and float64.
func GradReLULoop[T float32 | float64](dst, dy, y, x []T, c GradConsts[T]) {
	gradPassLoop(dst, dy, y, x, c, ReLUPass[T])
}

// GradReLU6 is Grad behind a fused ReLU6 whose outputs are y: dy[i] times
// 1 where 0 < y[i] < 6, else times 0.
func GradReLU6(dst, dy, y, x []float32, c GradConsts[float32]) {
	i := gradReLU6Fast(dst, dy, y, x, c)
	GradReLU6Loop(dst[i:], dy[i:len(dst)], y[i:len(dst)], x[i:len(dst)], c)
}

// GradReLU6Loop is GradReLU6 in plain Go, for float32 and float64.
func GradReLU6Loop[T float32 | float64](dst, dy, y, x []T, c GradConsts[T]) {
	gradPassLoop(dst, dy, y, x, c, ReLU6Pass[T])
}

// gradPassLoop is Grad with dy passed through an activation's gradient.
func gradPassLoop[T float32 | float64](dst, dy, y, x []T, c GradConsts[T], pass func(dy, y T) T) {
	dy, y, x = dy[:len(dst)], y[:len(dst)], x[:len(dst)]
	for i, v := range x {
		dst[i] = T(c.G*pass(dy[i], y[i])) + T(c.K*((v-c.Hi)-c.Lo)) + c.K0
	}
}

// ReLUPass is the gradient dy through a ReLU whose output is y: dy where
// y is not <= 0 (a NaN passes), else +0.
func ReLUPass[T float32 | float64](dy, y T) T { return [2]T{0, dy}[b2i(!(y <= 0))] }

// ReLU6Pass is the gradient dy through a ReLU6 whose output is y: dy
// times 1 where 0 < y < 6, else times 0.
func ReLU6Pass[T float32 | float64](dy, y T) T { return dy * T(b2i(y > 0)&b2i(y < 6)) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Float32 converts the constants to float32.
func (c Affine[T]) Float32() Affine[float32] {
	return Affine[float32]{Hi: float32(c.Hi), Lo: float32(c.Lo), A: float32(c.A), B: float32(c.B)}
}

// Float32 converts the constants to float32.
func (c GradConsts[T]) Float32() GradConsts[float32] {
	return GradConsts[float32]{Hi: float32(c.Hi), Lo: float32(c.Lo), G: float32(c.G), K: float32(c.K), K0: float32(c.K0)}
}
