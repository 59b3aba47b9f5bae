// Package winograd holds the run kernels of convnets' Winograd F(2x2, 3x3)
// and F(2x2, 5x5) convolution transforms in float32: each combines a few
// runs of values into others, value by value (across the rows of a tile
// row, across each tile's columns, or across channels), in assembly on
// amd64 CPUs that have it (AVX2 for the 3x3 output rows, AVX-512 for the
// rest) and in plain Go elsewhere (build tag purego forces it). Both
// compute every value with the same operations in the same order, so
// their results are the same bits. The plain loops (Input3Loop and the
// others) serve float64 too.
package winograd
