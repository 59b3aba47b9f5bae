//go:build !amd64 || purego

package gemm

const hasFMA = false

func kernel(k int, a, b, c []float32, ldc int) { kernelGo(k, a, b, c, ldc) }
