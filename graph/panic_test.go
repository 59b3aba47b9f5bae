package graph

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPanicInAnOpIsAnError: a panic inside an op, in a worker goroutine or
// not, ends the step with an error naming it instead of ending the process.
func TestPanicInAnOpIsAnError(t *testing.T) {
	n, x := New(Config{Batch: 64, Input: [3]int{1, 32, 32}, Classes: 2})
	boom := pointwise{"Boom", func(float64) float64 { panic("boom") }, func(float64) float64 { return 0 }}
	h := n.Conv("c", x, 2, K(3), Pad(1)).unary("boom", KindReLU, n.pointwise(boom)) // 131,072 values: split across workers
	if err := n.SetOutput(n.Dense("fc", n.Flatten("f", h), 2)); err != nil {
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
	if err := p.Step(rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("step: %v, want an error saying boom", err)
	}
	if err := p.Forward(); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("forward: %v, want an error saying boom", err)
	}
}
