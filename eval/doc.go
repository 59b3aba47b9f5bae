// Package eval measures networks: accuracy of a trained one (top-1,
// per class, confusion matrix) and the costs recorded in a Net's ledger
// (parameters, MACs and other work per layer, with totals), as tables in
// text, Markdown, CSV and JSON, and Graphviz diagrams. Its plots and run
// reports are in package eval/plots, so that importing eval for a number
// links no plotting library.
//
// Conventions: params counts trainable parameters (PyTorch's numel);
// batch-norm running statistics are non_trainable, reported apart; macs
// counts the multiply-accumulates of convolutions and dense layers only
// (what the lecture and torchvision call FLOPs), FLOPs = 2 x MACs; the work
// of pooling, batch norm, activations and additions is other_ops.
package eval
