package winograd

// OutputCols is the row half of the output transform Aᵀ m A across a row of
// tiles: from the four positions m0..m3 of one column of every tile it
// writes s0 = (m0 + m1) + m2 and s1 = (m1 - m2) - m3, value by value.
func OutputCols(m0, m1, m2, m3, s0, s1 []float32) {
	n := len(s0)
	if n == 0 {
		return
	}
	_, _, _, _, _ = m0[n-1], m1[n-1], m2[n-1], m3[n-1], s1[n-1]
	done := outputColsFast(n, m0, m1, m2, m3, s0, s1)
	OutputColsLoop(done, n, m0, m1, m2, m3, s0, s1)
}

// OutputColsLoop is OutputCols' plain loop over values lo..n, for either
// float type.
func OutputColsLoop[F float32 | float64](lo, n int, m0, m1, m2, m3, s0, s1 []F) {
	for i := lo; i < n; i++ {
		a1, a2 := m1[i], m2[i]
		s0[i], s1[i] = m0[i]+a1+a2, a1-a2-m3[i]
	}
}

// OutputRow writes one output row of a row of tiles from its four columns
// c0..c3 (a value per tile): row[2tx] = (c0 + c1) + c2 and
// row[2tx+1] = (c1 - c2) - c3, ow values in all (an odd ow drops the last
// tile's second one).
func OutputRow(ow int, c0, c1, c2, c3, row []float32) {
	tw := (ow + 1) / 2
	if tw == 0 {
		return
	}
	_, _, _, _, _ = c0[tw-1], c1[tw-1], c2[tw-1], c3[tw-1], row[ow-1]
	done := outputRowFast(ow/2, c0, c1, c2, c3, row)
	OutputRowLoop(done, ow, c0, c1, c2, c3, row)
}

// OutputRowLoop is OutputRow's plain loop from tile lo on, for either
// float type.
func OutputRowLoop[F float32 | float64](lo, ow int, c0, c1, c2, c3, row []F) {
	for tx := lo; 2*tx < ow; tx++ {
		a1, a2 := c1[tx], c2[tx]
		row[2*tx] = c0[tx] + a1 + a2
		if 2*tx+1 < ow {
			row[2*tx+1] = a1 - a2 - c3[tx]
		}
	}
}
