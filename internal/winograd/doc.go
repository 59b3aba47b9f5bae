// Package winograd holds the row kernels of convnets' Winograd F(2x2, 3x3)
// and F(2x2, 5x5) convolution transforms in float32: each works along a
// row of tiles, a run of values at a time, in assembly on amd64 CPUs that
// have it (AVX2 for 3x3, AVX-512 for 5x5) and in plain Go elsewhere (build
// tag purego forces it). Both compute every
// value with the same operations in the same order, so their results are
// the same bits. The plain loops (InputRowLoop and the others) serve
// float64 too.
package winograd
