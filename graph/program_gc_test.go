package graph

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"weak"
)

// TestProgramsAreCollected: a Net compiled, stepped and dropped is
// garbage collected, alone and with replicas. A graph whose read ops
// pointed back at its Program made a cycle through Gorgonia's machines,
// which carry finalizers; Go never collects such a cycle, and a process
// that trained many networks (a study) grew by every one of them.
func TestProgramsAreCollected(t *testing.T) {
	build := func(batch int) (*Net, error) {
		n, x := New(Config{Batch: batch, Input: [3]int{1, 8, 8}, Classes: 3})
		h := n.BatchNormReLU("bn", n.Conv("c", x, 4, K(3), Pad(1)))
		return n, n.SetOutput(n.Dense("out", n.Flatten("f", h), 3))
	}
	for _, shards := range []int{1, 2} {
		var nets []weak.Pointer[Net]
		for range 3 {
			func() {
				n, err := build(4)
				if err != nil {
					t.Fatal(err)
				}
				n.SetRebuild(func(c Config) (*Net, error) { return build(c.Batch) })
				if err := n.Init(1); err != nil {
					t.Fatal(err)
				}
				p, err := CompileReplicas(n, shards)
				if err != nil {
					t.Fatal(err)
				}
				if err := p.Step(rand.New(rand.NewPCG(1, 1))); err != nil {
					t.Fatal(err)
				}
				if err := p.Forward(); err != nil {
					t.Fatal(err)
				}
				if p.rep != nil {
					for _, r := range p.rep.shards {
						nets = append(nets, weak.Make(r.net))
					}
				}
				p.Close()
				nets = append(nets, weak.Make(n))
			}()
		}
		runtime.GC()
		runtime.GC()
		for i, w := range nets {
			if w.Value() != nil {
				t.Errorf("%d replicas: net %d of %d is still in memory after its program was closed and dropped", shards, i+1, len(nets))
			}
		}
	}
}
