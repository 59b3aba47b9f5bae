package eval

import (
	"bytes"
	"strings"
	"testing"

	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
)

func TestScore(t *testing.T) {
	pr := &train.Predictions{Pred: []int{0, 1, 1, 2, 2, 2}, Labels: []int{0, 1, 2, 2, 2, 0}, Loss: 0.5}
	a, err := Score(pr, 3)
	if err != nil {
		t.Fatal(err)
	}
	if a.N != 6 || a.Accuracy != 4.0/6 {
		t.Fatalf("n %d accuracy %v", a.N, a.Accuracy)
	}
	want := [][]int{{1, 0, 1}, {0, 1, 0}, {0, 1, 2}}
	for i := range want {
		for j := range want[i] {
			if a.Confusion[i][j] != want[i][j] {
				t.Fatalf("confusion %v, want %v", a.Confusion, want)
			}
		}
	}
	if a.PerClass[0] != 0.5 || a.PerClass[1] != 1 || a.PerClass[2] != 2.0/3 {
		t.Fatalf("per class %v", a.PerClass)
	}
	if _, err := Score(&train.Predictions{Pred: []int{3}, Labels: []int{0}}, 3); err == nil {
		t.Fatal("class out of range accepted")
	}
}

// TestSummaryAddsUp checks that the per-layer rows add up to the totals and
// that the table prints them.
func TestSummaryAddsUp(t *testing.T) {
	n, x := graph.New(graph.Config{Input: [3]int{3, 32, 32}, Classes: 10})
	h := n.BatchNorm("bn", n.Conv("conv1", x, 8, graph.K(3), graph.Pad(1), graph.NoBias())).ReLU()
	h = n.GlobalAvgPool("gap", h)
	if err := n.SetOutput(n.Dense("fc", n.Flatten("flatten", h), 10)); err != nil {
		t.Fatal(err)
	}
	s := Summarize("tiny", n)
	var p, nt, m, o int64
	for _, l := range s.Layers {
		p, nt, m, o = p+l.Params, nt+l.NonTrainable, m+l.MACs, o+l.Other
	}
	if p != s.Params || nt != s.NonTrainable || m != s.MACs || o != s.Other || s.FLOPs != 2*s.MACs {
		t.Fatalf("rows add to %d/%d/%d/%d, totals %+v", p, nt, m, o, s.Totals)
	}
	if s.Params != 3*8*9+16+8*10+10 || s.NonTrainable != 16 || s.MACs != 3*8*9*32*32+80 {
		t.Fatalf("totals %+v", s.Totals)
	}
	var b bytes.Buffer
	if err := s.Write(&b, "text"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"conv1", "221,264", "non-trainable 16", "FLOPs (2 x MACs) 442,528"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 61706: "61,706", -1234567: "-1,234,567"} {
		if got := Group(n); got != want {
			t.Errorf("Group(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestRatioWords(t *testing.T) {
	for r, want := range map[float64]string{758.24: "758x", 9.6: "10x", 2.71: "2.71x", 0.47: "0.47x", 1.0 / 758.24: "1/758", 0: "0.00x"} {
		if got := ratioWords(r); got != want {
			t.Errorf("ratioWords(%v) = %q, want %q", r, got, want)
		}
	}
}

// TestEvaluateEmpty: a dataset without images is an error, not "0.00%".
func TestEvaluateEmpty(t *testing.T) {
	if _, err := Evaluate(nil, &train.Dataset{Name: "empty", Shape: [3]int{1, 28, 28}}); err == nil || !strings.Contains(err.Error(), "no images") {
		t.Fatalf("%v, want an error saying the dataset has no images", err)
	}
}
