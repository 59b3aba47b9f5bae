// Package graph holds the building blocks of every convnets architecture: a
// network builder (Net) that owns a Gorgonia expression graph, creates each
// parameter under a hierarchical name ("inception3a/branch2/conv3x3/bias"),
// and records every layer in a cost ledger as it is added.
//
// Layers are methods on Net that take and return *Tensor. Gorgonia's errors
// are kept inside the Net: the first one is remembered, later layers become
// no-ops, and Net.Err reports it, so that an architecture reads as one line
// per layer.
//
// Building a Net allocates no weights: the ledger (parameter counts, MACs and
// other work per layer) is available straight after the build. Net.Init draws
// the weights from a seed; Compile turns the Net into a Program (a training
// machine and a forward-only machine on the same graph) for the training loop
// in package train; CompileReplicas trains on several copies of the Net at
// once, each on a shard of the batch (data parallelism, bit-exact on any
// number of cores). The heavy ops (convolution, pooling, ReLU, concat) are
// convnets' own, on internal/gemm, and split their work across the cores
// (Net.SetThreads bounds how many each Net uses).
//
// Where Gorgonia v0.9.18's own op is wrong (AveragePool2D, the gradient of
// GlobalAveragePool2D and of Dropout, reductions on axis 2 of 4-D tensors),
// the layer is built from ops that are right; the tests check every layer's
// gradient against central finite differences in float64.
package graph
