//go:build !amd64 || purego

package winograd

// The fast paths do nothing here: the Go loops do all the work.

func outputColsFast(n int, m0, m1, m2, m3, s0, s1 []float32) int            { return 0 }
func outputRowFast(pairs int, c0, c1, c2, c3, row []float32) int            { return 0 }
func input5Fast(n int, s0, s1, s2, s3, s4, s5, d []float32, stride int) int { return 0 }
func output5Fast(n int, m0, m1, m2, m3, m4, m5, y0, y1 []float32) int       { return 0 }
func grad5Fast(n int, z0, z1, d []float32, stride int) int                  { return 0 }
func input3Fast(n int, s0, s1, s2, s3, d []float32, stride int) int         { return 0 }
func grad3Fast(n int, z0, z1, d []float32, stride int) int                  { return 0 }
