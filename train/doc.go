// Package train holds the one training loop that trains any graph.Net:
// datasets, seeded batching, optimizers (SGD with momentum and weight
// decay, LARS, Adam), checkpoints and the run directory. Subpackage mnist reads
// the data.
package train
