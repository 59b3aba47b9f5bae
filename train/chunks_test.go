package train

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestOptimizersOnAnyCores: tensors larger than one chunk (and a small
// one) stepped by each optimizer on one core and on four give the same
// bits, and every element of every tensor moves as the single-element
// update would move it alone.
func TestOptimizersOnAnyCores(t *testing.T) {
	sizes := []int{2*chunkSize + 77, 5, chunkSize}
	rng := rand.New(rand.NewPCG(7, 8))
	start, grads := make([][]float32, len(sizes)), make([][]float32, len(sizes))
	for i, n := range sizes {
		start[i], grads[i] = make([]float32, n), make([]float32, n)
		for j := range start[i] {
			start[i][j], grads[i][j] = float32(rng.NormFloat64()), float32(rng.NormFloat64()*0.1)
		}
	}
	run := func(c OptConfig, procs int) [][]float32 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		o, err := NewOptimizer(c, sizes)
		if err != nil {
			t.Fatal(err)
		}
		w := make([][]float32, len(sizes))
		for i := range w {
			w[i] = append([]float32(nil), start[i]...)
		}
		for step := 0; step < 3; step++ {
			o.Step(w, grads, c.LR)
		}
		return w
	}
	for _, c := range []OptConfig{
		{Name: "adam", LR: 0.01, WeightDecay: 0.1},
		{Name: "sgd", LR: 0.1, Momentum: 0.9, WeightDecay: 0.01},
		{Name: "lars", LR: 0.1, Momentum: 0.9, WeightDecay: 0.01},
	} {
		one, four := run(c, 1), run(c, 4)
		for i := range one {
			for j := range one[i] {
				if one[i][j] != four[i][j] {
					t.Fatalf("%s: tensor %d element %d: %v on one core, %v on four", c.Name, i, j, one[i][j], four[i][j])
				}
			}
		}
		if c.Name == "lars" {
			continue // its scale is per tensor: no single-element reference
		}
		for _, k := range [][2]int{{0, 0}, {0, chunkSize - 1}, {0, chunkSize}, {0, 2*chunkSize + 76}, {1, 4}, {2, chunkSize - 1}} {
			o, _ := NewOptimizer(c, []int{1})
			w := []float32{start[k[0]][k[1]]}
			for step := 0; step < 3; step++ {
				o.Step([][]float32{w}, [][]float32{{grads[k[0]][k[1]]}}, c.LR)
			}
			if w[0] != one[k[0]][k[1]] {
				t.Fatalf("%s: tensor %d element %d: %v, alone %v", c.Name, k[0], k[1], one[k[0]][k[1]], w[0])
			}
		}
	}
}

// BenchmarkAdamStep times one Adam step over 2,161,994 parameters in
// tensors of a VGG-style network's sizes (go test -cpu 1,2 compares the
// cores).
func BenchmarkAdamStep(b *testing.B) {
	sizes := []int{144, 16, 4608, 32, 18432, 64, 36864, 64, 73728, 128, 147456, 128, 147456, 128, 147456, 128, 524288, 1024, 1048576, 1024, 10240, 10}
	o, err := NewOptimizer(OptConfig{Name: "adam", LR: 0.001}, sizes)
	if err != nil {
		b.Fatal(err)
	}
	w, g := buffers(sizes), buffers(sizes)
	for i := range g {
		for j := range g[i] {
			g[i][j] = 0.01
		}
	}
	for b.Loop() {
		o.Step(w, g, 0.001)
	}
}
