// Package gemm multiplies float32 matrices fast enough for convolutions:
// a blocked, packed GEMM whose inner kernel is assembly on amd64 CPUs that
// have the instructions (12 x 32 blocks with AVX-512 FMA, 6 x 16 with
// AVX2/FMA, chosen at run time) and plain Go elsewhere (build tag purego
// forces it). Work is split into tiles of C that do not
// depend on the number of cores, and every element of C sums its products
// in the same order whatever the split, so results are bit-identical with
// one core or many.
//
// The assembly kernels run with subnormal numbers (below about 1.2e-38)
// read as zero and flushed to zero (MXCSR's DAZ and FTZ bits, set on entry
// and restored on return, so Go code around them keeps IEEE behaviour).
// Late in a training the backward pass fills with such tiny values (the
// gradients of confidently classified images), and each operation on one
// takes the CPU's slow path: a product of subnormal inputs ran 100 times
// slower without the flags. Flushing drops the terms that involve a
// subnormal number, far below the rounding of any sum of normal size (the
// default job's and a 30-epoch VGG-11 run's weights came out the same, bit
// for bit), and it is the same on every core.
package gemm
