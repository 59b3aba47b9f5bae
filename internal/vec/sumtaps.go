package vec

// SumTaps writes into each dst[j] the sum of the taps src[j + offs[t]],
// added in the order of offs starting from +0, divided by div (1 leaves
// the sum as it is). src must hold len(dst) + max(offs) values; offs are
// not negative.
func SumTaps(dst, src []float32, offs []int, div float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	top := 0
	for _, o := range offs {
		top = max(top, o)
	}
	_ = src[n-1+top]
	j := sumTapsFast(dst, src, offs, div)
	for ; j < n; j++ {
		var acc float32
		for _, o := range offs {
			acc += src[j+o]
		}
		dst[j] = acc / div
	}
}
