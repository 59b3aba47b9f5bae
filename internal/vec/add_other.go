//go:build !amd64 || purego

package vec

// addFast does nothing here: Add's Go loop does all the work.
func addFast(dst, src []float32) int { return 0 }
