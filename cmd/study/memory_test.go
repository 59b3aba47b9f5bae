package study

import (
	"context"
	"runtime"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
)

// TestStudiesDoNotGrow: running a small study again and again in one
// process leaves the heap as it was (every run's network is released): a
// study of dozens of trainings must not hold them all.
func TestStudiesDoNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 27 small networks")
	}
	reg := arch.Builtin()
	s, _ := Lookup("alexnet")
	var heap [3]uint64
	for i := range heap {
		if _, err := Run(context.Background(), reg, s, t.TempDir(), small(1), jobs.Output{}); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap[i] = ms.HeapInuse
	}
	if grew := int64(heap[2]) - int64(heap[0]); grew > 32<<20 {
		t.Fatalf("heap in use after studies 1, 2, 3: %d, %d, %d MB", heap[0]>>20, heap[1]>>20, heap[2]>>20)
	}
}
