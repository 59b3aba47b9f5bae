package graph

import (
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BenchmarkMaxPool compares convnets' max pooling with Gorgonia's
// MaxPool2D, forward and backward, on LeNet-5's S2 at batch 64 (after a
// ReLU, as there: a pool of the network's input skips its gradient).
func BenchmarkMaxPool(b *testing.B) {
	for _, own := range []bool{true, false} {
		name := "gorgonia"
		if own {
			name = "convnets"
		}
		b.Run(name, func(b *testing.B) {
			n, x := New(Config{Batch: 64, Input: [3]int{6, 28, 28}, Classes: 1})
			r := x.ReLU()
			var out *G.Node
			if own {
				out = n.MaxPool("p", r, 2, 2, 0).node
			} else {
				var err error
				if out, err = G.MaxPool2D(r.node, tensor.Shape{2, 2}, []int{0, 0}, []int{2, 2}); err != nil {
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

// BenchmarkMaxPoolShapes times convnets' max pooling forward on one core
// for the GoogLeNet preset's shapes at batch 64: its stem's 3x3/2 pools and
// the Inception blocks' 3x3/1 "same" pool branches.
func BenchmarkMaxPoolShapes(b *testing.B) {
	for _, c := range [][4]int{{8, 48, 2, 0}, {24, 12, 1, 1}, {60, 6, 1, 1}, {104, 3, 1, 1}} {
		ch, size, st, pad := c[0], c[1], c[2], c[3]
		out := (size+2*pad-3)/st + 1
		b.Run(fmt.Sprintf("%dx%dx%d_s%d", ch, size, size, st), func(b *testing.B) {
			op := newPoolOp(nil, []int{64, ch, size, size}, convOpts{kh: 3, kw: 3, sh: st, sw: st, ph: pad, pw: pad}, out, out, false)
			in, dst := make([]float32, 64*ch*size*size), make([]float32, 64*ch*out*out)
			for i := range in {
				in[i] = float32((i*7919)%13) - 4
			}
			for b.Loop() {
				poolForward(op, in, dst)
			}
		})
	}
}
