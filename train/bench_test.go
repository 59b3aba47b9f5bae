package train_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
	"github.com/convnets/convnets/train/mnist"
)

// BenchmarkLeNetTrainStep times whole training steps (forward, backward,
// Adam) of LeNet-5 with ReLU and max pooling at batch 64, on the whole
// batch (replicas=1) and on two data-parallel replicas (the default).
func BenchmarkLeNetTrainStep(b *testing.B) {
	spec, err := arch.Builtin().Lookup("lenet5-relu")
	if err != nil {
		b.Fatal(err)
	}
	for _, replicas := range []int{1, 2} {
		b.Run(fmt.Sprintf("replicas=%d", replicas), func(b *testing.B) {
			net, err := spec.New(spec.Default, graph.Config{Batch: 64})
			if err != nil {
				b.Fatal(err)
			}
			flops := graph.StepFLOPs(net.Ledger())
			if err := net.Init(1); err != nil {
				b.Fatal(err)
			}
			p, err := graph.CompileReplicas(net, replicas)
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			b.ResetTimer()
			times, err := train.TimeTrainSteps(p, train.OptConfig{Name: "adam", LR: 1e-3}, b.N, 1)
			if err != nil {
				b.Fatal(err)
			}
			var total float64
			for _, t := range times {
				total += t.Seconds()
			}
			b.ReportMetric(64*float64(len(times))/total, "images/s")
			b.ReportMetric(float64(flops)*64*float64(len(times))/total/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkEpoch trains each MNIST preset for one epoch on the full
// training set (minutes each: run with -bench Epoch/NAME -benchtime 1x).
func BenchmarkEpoch(b *testing.B) {
	dir, err := mnist.DefaultDir()
	if err != nil {
		b.Skip(err)
	}
	reg := arch.Builtin()
	for _, name := range reg.Names() {
		if !strings.HasSuffix(name, "-mnist") && name != "lenet5-relu" {
			continue
		}
		spec, _ := reg.Lookup(name)
		b.Run(name, func(b *testing.B) {
			d, err := datasets.Load(train.Job{Dataset: "mnist", Data: dir, LimitTest: 64}, "")
			if err == nil {
				d, err = d.Fit(spec.Default.Input)
			}
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				net, err := spec.New(spec.Default, graph.Config{Batch: 64})
				if err != nil {
					b.Fatal(err)
				}
				if err := net.Init(1); err != nil {
					b.Fatal(err)
				}
				p, err := graph.CompileReplicas(net, train.DefaultReplicas(net)) // as convnets train
				if err != nil {
					b.Fatal(err)
				}
				hist, err := train.Run(context.Background(), p, d.Train, nil, d.Test, train.Config{Epochs: 1,
					Opt: train.OptConfig{Name: "adam", LR: 1e-3}, Schedule: train.Schedule{Name: "constant"}, Seed: 1, Augment: train.Augment{Shift: 1}})
				p.Close()
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(hist[0].ImagesSec, "images/s")
			}
		})
	}
}
