//go:build race

package graph

// raceEnabled: the race detector's build, where sync.Pool drops what it
// keeps at random and allocation counts are not the program's.
const raceEnabled = true
