//go:build !amd64 || purego

package bnrows

// The fast paths do nothing here: the Go loops do all the work.

func normalizeFast(dst, x []float32, c Affine[float32]) int                    { return 0 }
func normalizeClampFast(dst, x []float32, c Affine[float32], ceil float32) int { return 0 }
func gradFast(dst, dy, x []float32, c GradConsts[float32]) int                 { return 0 }
func gradReLUFast(dst, dy, y, x []float32, c GradConsts[float32]) int          { return 0 }
func gradReLU6Fast(dst, dy, y, x []float32, c GradConsts[float32]) int         { return 0 }
