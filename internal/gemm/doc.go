// Package gemm multiplies float32 matrices fast enough for convolutions:
// a blocked, packed GEMM whose inner kernel is assembly on amd64 CPUs that
// have the instructions (12 x 32 blocks with AVX-512 FMA, 6 x 16 with
// AVX2/FMA, chosen at run time) and plain Go elsewhere (build tag purego
// forces it). Work is split into tiles of C that do not
// depend on the number of cores, and every element of C sums its products
// in the same order whatever the split, so results are bit-identical with
// one core or many.
package gemm
