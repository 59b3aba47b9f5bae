// Package vec holds elementwise loops over runs of values that convnets'
// ops share: Add, the sum of two runs in place; Even, every other value of
// a run (a stride-2 gather); MaxTaps, the first largest of k taps at every
// position (max pooling's passes), and HasNaN; SumTaps, the sum of taps at
// every position (average pooling); ReLU and its gradient.
// Each runs in AVX2 assembly on amd64 CPUs that have it, eight float32
// values at a time, and in plain Go for the rest of a run, for float64 and
// elsewhere (build tag purego forces it). Both do the same operation on
// each value, so their results are the same bits.
package vec
