//go:build !amd64 || purego

package winograd

// The fast paths do nothing here: the Go loops do all the work.

func inputRowFast(tw int, e, d0, d1, d2, d3 []float32) int       { return 0 }
func outputColsFast(n int, m0, m1, m2, m3, s0, s1 []float32) int { return 0 }
func outputRowFast(pairs int, c0, c1, c2, c3, row []float32) int { return 0 }
