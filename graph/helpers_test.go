package graph

import (
	"math/rand/v2"
	"testing"
)

// compiled compiles the initialised n, fills its input with draws of
// value from rng and sets the labels; the test closes the program.
func compiled(t *testing.T, n *Net, rng *rand.Rand, value func(*rand.Rand) float32, labels []int) *Program {
	t.Helper()
	p, err := Compile(n)
	if err != nil {
		t.Fatal(err)
	}
	in := p.Input()
	for i := range in {
		in[i] = value(rng)
	}
	if err := p.SetLabels(labels); err != nil {
		t.Fatal(err)
	}
	return p
}
