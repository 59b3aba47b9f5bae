package arch

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/convnets/convnets/graph"
)

// published holds each registered architecture's parameters and MACs at its
// default input, from the paper or the reference implementation named.
var published = map[string]struct{ params, macs int64 }{
	// d2l's LeNet-5 (chapter 7.6): 156 + 2,416 + 48,120 + 10,164 + 850.
	"lenet5":      {61_706, 416_520},
	"lenet5-relu": {61_706, 416_520},
}

func TestPublishedCounts(t *testing.T) {
	r := Builtin()
	for _, name := range r.Names() {
		want, ok := published[name]
		if !ok {
			t.Errorf("%s: no published parameter and MAC count in the test table", name)
			continue
		}
		s, _ := r.Lookup(name)
		n, err := s.New(s.Default, graph.Config{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tot := graph.Sum(n.Ledger())
		if tot.Params != want.params || tot.MACs != want.macs {
			t.Errorf("%s: %d params, %d MACs; published %d and %d", name, tot.Params, tot.MACs, want.params, want.macs)
		}
	}
}

func TestBuiltinNamesUnique(t *testing.T) {
	var r Registry
	for _, s := range builtins() {
		if err := r.Register(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Register(builtins()[0]); err == nil || !strings.Contains(err.Error(), "registered already") {
		t.Fatalf("duplicate registration: %v", err)
	}
	if _, err := r.Lookup("lenet6"); err == nil || !strings.Contains(err.Error(), "lenet5") {
		t.Fatalf("unknown name: %v", err)
	}
}

// TestLeNetShapes asserts the lecture's stage shapes.
func TestLeNetShapes(t *testing.T) {
	s, _ := Builtin().Lookup("lenet5")
	n, err := s.New(s.Default, graph.Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"c1": "6x28x28", "s2": "6x14x14", "c3": "16x10x10", "s4": "16x5x5", "c5": "120", "f6": "84", "output": "10"}
	for _, l := range n.Ledger() {
		if w, ok := want[l.Name]; ok {
			if got := graph.ShapeString(l.OutShape); got != w {
				t.Errorf("%s: %s, want %s", l.Name, got, w)
			}
			delete(want, l.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("stages missing: %v", want)
	}
}

func TestInputTooSmall(t *testing.T) {
	s, _ := Builtin().Lookup("lenet5")
	_, err := s.New(Config{Input: [3]int{1, 8, 8}, Classes: 10}, graph.Config{})
	if err == nil || !strings.Contains(err.Error(), "1x8x8") || !strings.Contains(err.Error(), "smaller than the kernel") {
		t.Fatalf("got %v", err)
	}
}

// TestOneTrainingStep builds each architecture at its default input for a
// batch of 4 and runs one training step.
func TestOneTrainingStep(t *testing.T) {
	r := Builtin()
	for _, name := range r.Names() {
		s, _ := r.Lookup(name)
		n, err := s.New(s.Default, graph.Config{Batch: 4})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Init(1); err != nil {
			t.Fatal(err)
		}
		p, err := graph.Compile(n)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range p.Input() {
			p.Input()[i] = rng.Float32()
		}
		if err := p.SetLabels([]int{0, 1, 2, 3}); err != nil {
			t.Fatal(err)
		}
		if err := p.Step(rng); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if l := p.Loss(); !(l > 0 && l < 10) {
			t.Errorf("%s: loss %v", name, l)
		}
		p.Close()
	}
}
