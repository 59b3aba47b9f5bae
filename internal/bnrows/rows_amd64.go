//go:build !purego

package bnrows

import "golang.org/x/sys/cpu"

var hasAVX2 = cpu.X86.HasAVX2

// The kernels below do n8 blocks of 8 values; c points at the constants
// (an Affine, then ceil; or a GradConsts).

//go:noescape
func normalize8(n8 int, dst, x *float32, c *float32)

//go:noescape
func normalizeClamp8(n8 int, dst, x *float32, c *float32)

//go:noescape
func grad8(n8 int, dst, dy, x *float32, c *float32)

//go:noescape
func gradReLU8(n8 int, dst, dy, y, x *float32, c *float32)

//go:noescape
func gradReLU68(n8 int, dst, dy, y, x *float32, c *float32)

// blocks is how many values the kernels do: whole blocks of 8 of n, none
// without AVX2.
func blocks(n int) int {
	if !hasAVX2 {
		return 0
	}
	return n / 8
}

func normalizeFast(dst, x []float32, c Affine[float32]) int {
	n8 := blocks(len(dst))
	if n8 == 0 {
		return 0
	}
	_ = x[8*n8-1]
	normalize8(n8, &dst[0], &x[0], &c.Hi)
	return 8 * n8
}

func normalizeClampFast(dst, x []float32, c Affine[float32], ceil float32) int {
	n8 := blocks(len(dst))
	if n8 == 0 {
		return 0
	}
	_ = x[8*n8-1]
	k := [5]float32{c.Hi, c.Lo, c.A, c.B, ceil}
	normalizeClamp8(n8, &dst[0], &x[0], &k[0])
	return 8 * n8
}

func gradFast(dst, dy, x []float32, c GradConsts[float32]) int {
	n8 := blocks(len(dst))
	if n8 == 0 {
		return 0
	}
	_, _ = dy[8*n8-1], x[8*n8-1]
	grad8(n8, &dst[0], &dy[0], &x[0], &c.Hi)
	return 8 * n8
}

func gradReLUFast(dst, dy, y, x []float32, c GradConsts[float32]) int {
	return gradPassFast(false, dst, dy, y, x, c)
}

func gradReLU6Fast(dst, dy, y, x []float32, c GradConsts[float32]) int {
	return gradPassFast(true, dst, dy, y, x, c)
}

// gradPassFast runs gradReLU8, or gradReLU68 with relu6, on the whole
// blocks (called directly: through a func value, c would escape).
func gradPassFast(relu6 bool, dst, dy, y, x []float32, c GradConsts[float32]) int {
	n8 := blocks(len(dst))
	if n8 == 0 {
		return 0
	}
	_, _, _ = dy[8*n8-1], y[8*n8-1], x[8*n8-1]
	if relu6 {
		gradReLU68(n8, &dst[0], &dy[0], &y[0], &x[0], &c.Hi)
	} else {
		gradReLU8(n8, &dst[0], &dy[0], &y[0], &x[0], &c.Hi)
	}
	return 8 * n8
}
