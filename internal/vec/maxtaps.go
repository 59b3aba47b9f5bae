package vec

// MaxTaps takes, for each j < len(dst), the first largest of the k taps
// src[j + t*step], t = 0..k-1 (a tap replaces the one kept only when it is
// strictly larger, so ties keep the earliest), into dst[j], and its index
// into idx[j]: args[j + t*step], or base + j + t*step when args is nil.
// The value kept is the winning tap's own (a -0 and a +0 tie keeps the
// first). NaN compares false: the caller checks for it (HasNaN). src (and
// args) must hold len(dst) + (k-1)*step values.
func MaxTaps(dst []float32, idx []int32, src []float32, args []int32, k, step int, base int32) {
	n := len(dst)
	if n == 0 {
		return
	}
	idx = idx[:n:len(idx)]
	_ = src[n-1+(k-1)*step]
	if args != nil {
		_ = args[n-1+(k-1)*step]
	}
	j := maxTapsFast(dst, idx, src, args, k, step, base)
	for ; j < n; j++ {
		best, at := src[j], j
		for t := 1; t < k; t++ {
			if v := src[j+t*step]; v > best {
				best, at = v, j+t*step
			}
		}
		dst[j] = best
		if args != nil {
			idx[j] = args[at]
		} else {
			idx[j] = base + int32(at)
		}
	}
}

// HasNaN says whether x holds a NaN.
func HasNaN(x []float32) bool {
	i, nan := hasNaNFast(x)
	for ; i < len(x) && !nan; i++ {
		nan = x[i] != x[i]
	}
	return nan
}
