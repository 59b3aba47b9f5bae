package arch_test

import (
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
)

// benchBlock times forward and backward passes of one block of the
// lecture's Inception study at batch 8 (as ../shared/bench/torch_baseline.py
// does in PyTorch) and reports images/s and GFLOP/s.
func benchBlock(b *testing.B, name string) {
	const batch = 8
	for _, blk := range arch.InceptionStudy() {
		if blk.Name != name {
			continue
		}
		layers, _, err := blk.Ledger(arch.InceptionStudyInput)
		if err != nil {
			b.Fatal(err)
		}
		n, x := graph.New(graph.Config{Batch: batch, Input: arch.InceptionStudyInput, Classes: 1})
		b.ResetTimer()
		times, err := graph.TimeSteps(n, blk.Build(n, x), b.N, 1)
		if err != nil {
			b.Fatal(err)
		}
		var total float64
		for _, t := range times {
			total += t.Seconds()
		}
		b.ReportMetric(float64(batch*len(times))/total, "images/s")
		b.ReportMetric(float64(graph.StepFLOPs(layers))*float64(batch*len(times))/total/1e9, "GFLOP/s")
		return
	}
	b.Fatalf("no block %s", name)
}

func BenchmarkInception3a(b *testing.B) { benchBlock(b, "inception") }
func BenchmarkConv3x3(b *testing.B)     { benchBlock(b, "conv3x3") }
func BenchmarkConv5x5(b *testing.B)     { benchBlock(b, "conv5x5") }
