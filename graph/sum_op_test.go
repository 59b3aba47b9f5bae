package graph

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestSumMatchesGorgonia: the benchmarks' loss gives the value and the
// gradient of Gorgonia's Sum: d(sum(w*x))/dw = x, bit for bit in float32,
// and the sum in float64 within rounding.
func TestSumMatchesGorgonia(t *testing.T) {
	shape := []int{2, 3, 4, 5}
	xs := make([]float32, 120)
	for i := range xs {
		xs[i] = float32(math.Sin(float64(i))) * 3
	}
	run := func(own bool) (float32, []float32) {
		g := G.NewGraph()
		x := G.NewTensor(g, tensor.Float32, 4, G.WithShape(shape...), G.WithName("x"),
			G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float32(nil), xs...)))))
		w := G.NewTensor(g, tensor.Float32, 4, G.WithShape(shape...), G.WithName("w"), G.WithInit(G.Ones()))
		y := G.Must(G.HadamardProd(x, w))
		var loss *G.Node
		var err error
		if own {
			loss, err = sumAll(y)
		} else {
			loss, err = G.Sum(y)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := G.Grad(loss, w); err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(g, G.BindDualValues(w))
		defer vm.Close()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		dw, err := w.Grad()
		if err != nil {
			t.Fatal(err)
		}
		return loss.Value().Data().(float32), append([]float32(nil), dw.Data().([]float32)...)
	}
	lossOwn, own := run(true)
	lossG, gorgonia := run(false)
	var want float64
	for _, v := range xs {
		want += float64(v)
	}
	if math.Abs(float64(lossOwn)-want) > 1e-5 || math.Abs(float64(lossG)-want) > 1e-4 {
		t.Fatalf("sum %v, Gorgonia's %v, float64 %v", lossOwn, lossG, want)
	}
	for i := range own {
		if math.Float32bits(own[i]) != math.Float32bits(gorgonia[i]) || own[i] != xs[i] {
			t.Fatalf("gradient element %d: %v, Gorgonia's %v, want %v", i, own[i], gorgonia[i], xs[i])
		}
	}
}
