// Package safefile opens and reads the files convnets is given from
// outside (job files, datasets, checkpoints, weights, tables) so that none
// can hang or exhaust it: only regular files are opened (a FIFO, a device
// such as /dev/zero or a directory is an error naming the path, and opening
// never waits for a writer), and whole-file reads stop at a size limit.
package safefile
