// Package workers runs a fixed number of goroutines and waits for them,
// bringing a panic in any of them back to the caller's goroutine: there a
// deferred recover (the training step's) can turn it into an error, where a
// panic left in a worker would end the whole process.
package workers
