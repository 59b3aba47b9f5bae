package graph

import (
	"strings"
	"testing"
)

// TestCompileTwice: compiling a Net a second time is an error that says
// so, not a panic inside Gorgonia (the first compile added the gradient's
// nodes to the graph).
func TestCompileTwice(t *testing.T) {
	n, err := smallNet(Config{Batch: 4, Input: [3]int{1, 6, 6}, Classes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Init(1); err != nil {
		t.Fatal(err)
	}
	p, err := Compile(n)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := Compile(n); err == nil || !strings.Contains(err.Error(), "compiled") {
		t.Fatalf("second compile: %v, want an error saying the Net was compiled", err)
	}
}
