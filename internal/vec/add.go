package vec

// Add adds src to dst, value by value: dst[i] += src[i]. The runs must
// have the same length and must not overlap unless they are the same run.
func Add[T float32 | float64](dst, src []T) {
	src = src[:len(dst):len(src)] // a shorter src panics, not extends
	i := 0
	if d, ok := any(&dst).(*[]float32); ok {
		i = addFast(*d, *any(&src).(*[]float32))
	}
	for ; i < len(dst); i++ {
		dst[i] += src[i]
	}
}
