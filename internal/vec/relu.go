package vec

// ReLU writes max(x[i], 0) into dst[i], as Go's max does on amd64: -0
// becomes +0, and a NaN stays NaN with its sign bit cleared.
func ReLU[T float32 | float64](dst, x []T) {
	x = x[:len(dst):len(x)]
	i := 0
	if d, ok := any(&dst).(*[]float32); ok {
		i = reluFast(*d, *any(&x).(*[]float32))
	}
	for ; i < len(dst); i++ {
		dst[i] = max(x[i], 0)
	}
}

// ReLUGrad writes ReLU's gradient from its output y into dst: dy[i], or +0
// where y[i] <= 0 (a NaN y passes dy).
func ReLUGrad[T float32 | float64](dst, dy, y []T) {
	dy, y = dy[:len(dst):len(dy)], y[:len(dst):len(y)]
	i := 0
	if d, ok := any(&dst).(*[]float32); ok {
		i = reluGradFast(*d, *any(&dy).(*[]float32), *any(&y).(*[]float32))
	}
	for ; i < len(dst); i++ {
		dst[i] = [2]T{0, dy[i]}[b2i(!(y[i] <= 0))]
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
