//go:build !purego

package winograd

import "golang.org/x/sys/cpu"

var hasAVX2 = cpu.X86.HasAVX2

//go:noescape
func outputCols8(n8 int, m0, m1, m2, m3, s0, s1 *float32)

//go:noescape
func outputRow8(n8 int, c0, c1, c2, c3, row *float32)

// outputColsFast does the values of OutputCols in whole blocks of 8.
func outputColsFast(n int, m0, m1, m2, m3, s0, s1 []float32) int {
	n8 := n / 8
	if !hasAVX2 || n8 == 0 {
		return 0
	}
	outputCols8(n8, &m0[0], &m1[0], &m2[0], &m3[0], &s0[0], &s1[0])
	return 8 * n8
}

// outputRowFast writes the first pairs pairs of OutputRow's values in whole
// blocks of 8 pairs and returns how many tiles it did.
func outputRowFast(pairs int, c0, c1, c2, c3, row []float32) int {
	n8 := pairs / 8
	if !hasAVX2 || n8 == 0 {
		return 0
	}
	outputRow8(n8, &c0[0], &c1[0], &c2[0], &c3[0], &row[0])
	return 8 * n8
}
