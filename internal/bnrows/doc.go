// Package bnrows holds the elementwise float32 loops of convnets' batch
// norm: the normalisation of a run of values (with a fused ReLU or ReLU6)
// and the input gradient's formula. Each runs in AVX2 assembly on amd64 CPUs
// that have it, eight values at a time, and in plain Go for the rest of a
// run and elsewhere (build tag purego forces it). Both compute every value
// with the same operations in the same order, without fused multiply-adds
// (the loops convert each product to its type, which Go forbids fusing
// across, so that GOAMD64=v3 builds do not fuse them either), so their
// results are the same bits; the plain loops are generic and serve float64
// too.
package bnrows
