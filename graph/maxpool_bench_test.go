package graph

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BenchmarkMaxPool compares convnets' max pooling with Gorgonia's
// MaxPool2D, forward and backward, on LeNet-5's S2 at batch 64.
func BenchmarkMaxPool(b *testing.B) {
	for _, own := range []bool{true, false} {
		name := "gorgonia"
		if own {
			name = "convnets"
		}
		b.Run(name, func(b *testing.B) {
			n, x := New(Config{Batch: 64, Input: [3]int{6, 28, 28}, Classes: 1})
			var out *G.Node
			if own {
				out = n.MaxPool("p", x, 2, 2, 0).node
			} else {
				var err error
				if out, err = G.MaxPool2D(x.node, tensor.Shape{2, 2}, []int{0, 0}, []int{2, 2}); err != nil {
					b.Fatal(err)
				}
			}
			loss, _ := G.Sum(out)
			G.Let(x.node, tensor.New(tensor.WithShape(64, 6, 28, 28), tensor.WithBacking(make([]float32, 64*6*28*28))))
			if _, err := G.Grad(loss, x.node); err != nil {
				b.Fatal(err)
			}
			vm := G.NewTapeMachine(n.g, G.BindDualValues(x.node))
			defer vm.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				vm.Reset()
				if err := vm.RunAll(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
