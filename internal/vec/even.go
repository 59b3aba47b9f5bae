package vec

// Even copies every other value of src into dst, from the first:
// dst[i] = src[2*i]. src must hold 2*len(dst)-1 values or more.
func Even[T float32 | float64](dst, src []T) {
	if len(dst) == 0 {
		return
	}
	_ = src[2*len(dst)-2]
	i := 0
	if d, ok := any(&dst).(*[]float32); ok {
		i = evenFast(*d, *any(&src).(*[]float32))
	}
	for ; i < len(dst); i++ {
		dst[i] = src[2*i]
	}
}
