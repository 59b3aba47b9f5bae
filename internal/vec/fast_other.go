//go:build !amd64 || purego

package vec

// addFast and evenFast do nothing here: the Go loops do all the work.
func addFast(dst, src []float32) int  { return 0 }
func evenFast(dst, src []float32) int { return 0 }
