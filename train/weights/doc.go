// Package weights reads and writes a network's tensors: convnets'
// checkpoints (the named tensors with the loop's state, checksummed and
// written atomically), safetensors files in PyTorch's parameter names and
// layouts, and a hash of a Net's state that says whether two runs made the
// same weights bit for bit. The training loop (package train) uses it; so
// can a program that only loads or exports weights.
package weights
