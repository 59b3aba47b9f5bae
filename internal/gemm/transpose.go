package gemm

// transposeStripGo is transposeStrip in plain Go.
func transposeStripGo(n int, src []float32, lds int, dst []float32, ldd int) {
	for r := 0; r < 4; r++ {
		row := src[r*lds : r*lds+4*n]
		for p, v := range row {
			dst[p*ldd+r] = v
		}
	}
}

// transposeRows writes rows rows of src (lds apart), cols values each, as
// cols rows of dst (ldd apart): dst[p*ldd+r] = src[r*lds+p], eight rows at
// a time through transposeStrip8 where the CPU has AVX, then four at a time
// through transposeStrip, and the rest one by one.
func transposeRows(rows, cols int, src []float32, lds int, dst []float32, ldd int) {
	if cols <= 0 {
		return
	}
	r := 0
	for ; r+8 <= rows; r += 8 {
		s, d := src[r*lds:], dst[r:]
		n := cols / 8
		if !transposeStrip8(n, s, lds, d, ldd) {
			break
		}
		for p := 8 * n; p < cols; p++ {
			for i := range 8 {
				d[p*ldd+i] = s[i*lds+p]
			}
		}
	}
	for ; r+4 <= rows; r += 4 {
		s, d := src[r*lds:], dst[r:]
		n := cols / 4
		transposeStrip(n, s, lds, d, ldd)
		for p := 4 * n; p < cols; p++ {
			d[p*ldd], d[p*ldd+1], d[p*ldd+2], d[p*ldd+3] = s[p], s[lds+p], s[2*lds+p], s[3*lds+p]
		}
	}
	for ; r < rows; r++ {
		for p, v := range src[r*lds : r*lds+cols] {
			dst[p*ldd+r] = v
		}
	}
}

// Transpose writes rows rows of src (lds apart), cols values each, as cols
// rows of dst (ldd apart): dst[p*ldd+r] = src[r*lds+p], eight rows at a
// time where the CPU has AVX.
func Transpose(rows, cols int, src []float32, lds int, dst []float32, ldd int) {
	transposeRows(rows, cols, src, lds, dst, ldd)
}
