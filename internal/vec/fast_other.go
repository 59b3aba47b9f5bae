//go:build !amd64 || purego

package vec

// The fast paths do nothing here: the Go loops do all the work.

func addFast(dst, src []float32) int        { return 0 }
func evenFast(dst, src []float32) int       { return 0 }
func hasNaNFast(x []float32) (int, bool)    { return 0, false }
func reluFast(dst, x []float32) int         { return 0 }
func reluGradFast(dst, dy, y []float32) int { return 0 }
func sumTapsFast(dst, src []float32, offs []int, div float32) int {
	return 0
}
func maxTapsFast(dst []float32, idx []int32, src []float32, args []int32, k, step int, base int32) int {
	return 0
}
