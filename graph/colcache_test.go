package graph

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// colGeoms are convolutions whose batches make one group or several,
// with a last group shorter than the others, at strides 1 and 2, with and
// without padding.
var colGeoms = []convGeom{
	{b: 6, c: 3, h: 7, w: 7, o: 5, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1},
	{b: 64, c: 1, h: 64, w: 64, o: 8, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3},  // 16 groups of 4
	{b: 21, c: 8, h: 16, w: 16, o: 24, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1}, // groups of 16 and 5; two workers split at 10
	{b: 7, c: 4, h: 30, w: 30, o: 6, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2},   // groups of 5 and 2
	{b: 5, c: 6, h: 9, w: 8, o: 3, kh: 1, kw: 7, sh: 1, sw: 1, ph: 0, pw: 3},
	{b: 3, c: 5, h: 4, w: 4, o: 7, kh: 3, kw: 3, sh: 2, sw: 2},
}

// TestKeptColumnsSameBits: a forward pass that gathers its columns into
// the kept ones and the weight gradient that reads them give the bits of
// the passes that gather their own, in float32 and float64, on one worker
// and two; the weight gradient does read the kept columns (spoiling them
// changes it) and only for the input they came from.
func TestKeptColumnsSameBits(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // two workers even on a one-CPU runner
	for gi, g := range colGeoms {
		g.dh, g.dw = 1, 1
		g.oh = (g.h+2*g.ph-g.kh)/g.sh + 1
		g.ow = (g.w+2*g.pw-g.kw)/g.sw + 1
		rng := rand.New(rand.NewPCG(uint64(gi), 3))
		x, w, dy := unitValues(rng, int(prod(g.xShape()))), unitValues(rng, int(prod(g.wShape()))), unitValues(rng, int(prod(g.yShape())))
		for _, workers := range []int{1, 2} {
			name := fmt.Sprintf("geometry %d, %d workers", gi, workers)
			keptPasses(t, name+", float64", g, workers, x, w, dy, mul64)
			keptPasses(t, name+", float32", g, workers, to32(x), to32(w), to32(dy), mul32)
		}
	}
}

func keptPasses[T float32 | float64](t *testing.T, name string, g convGeom, workers int, x, w, dy []T, mul mulFunc[T]) {
	t.Helper()
	tm := &team{n: workers}
	pass := func(pass int, keep *colSlot[T], in0, in1 []T, size int) []T {
		out := make([]T, size)
		convPass(tm, pass, g, &scratch[T]{}, keep, in0, in1, out, mul)
		return out
	}
	wantY, wantDW := pass(convForward, nil, x, w, len(dy)), pass(convGradFilter, nil, x, dy, len(w))
	keep := &colSlot[T]{}
	same(t, name+": forward", pass(convForward, keep, x, w, len(dy)), wantY)
	if !keep.holds(x) {
		t.Fatalf("%s: the forward pass kept no columns", name)
	}
	same(t, name+": weight gradient", pass(convGradFilter, keep, x, dy, len(w)), wantDW)

	copied := append([]T(nil), x...) // the same values in another tensor: gathered afresh
	keep.cols[0] += 1
	same(t, name+": weight gradient of another input", pass(convGradFilter, keep, copied, dy, len(w)), wantDW)
	spoiled := pass(convGradFilter, keep, x, dy, len(w))
	if equalBits(spoiled, wantDW) {
		t.Fatalf("%s: the weight gradient ignores the kept columns", name)
	}
}

func same[T float32 | float64](t *testing.T, what string, got, want []T) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: element %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

func equalBits[T float32 | float64](a, b []T) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestColumnBudget: a Net keeps the columns of the convolutions that fit
// its budget, in the order they are built, and none for 1x1 convolutions;
// a pass with no gradient keeps none.
func TestColumnBudget(t *testing.T) {
	n, _ := New(Config{Batch: 64, Input: [3]int{16, 64, 64}, Classes: 2})
	big := convGeom{b: 64, c: 16, h: 64, w: 64, o: 16, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, oh: 64, ow: 64}
	if big.colBytes(4) <= colBudget {
		t.Fatalf("the test's large layer (%d bytes) fits the budget", big.colBytes(4))
	}
	small := big
	small.c, small.h, small.w, small.oh, small.ow = 4, 16, 16, 16, 16
	if n.newColCache(big) != nil {
		t.Fatal("a layer larger than the budget keeps its columns")
	}
	kept := 0
	for n.newColCache(small) != nil {
		kept++
	}
	if want := int(colBudget / small.colBytes(4)); kept != want {
		t.Fatalf("kept %d layers' columns, want %d", kept, want)
	}
	point := small
	point.kh, point.kw, point.ph, point.pw = 1, 1, 0, 0
	n2, _ := New(Config{Batch: 64, Input: [3]int{16, 64, 64}, Classes: 2})
	if n2.newColCache(point) != nil {
		t.Fatal("a 1x1 convolution keeps columns")
	}
	if slot[float32](n2.newColCache(small)) != nil {
		t.Fatal("a convolution whose gradient nobody asked for keeps columns")
	}
}

// TestKeptColumnsAllocateNothingMore: a forward pass and a weight gradient
// through kept columns allocate no more than the same passes without them,
// and at most 2 times in all (a pointer captured by the workers' closure
// and reassigned had moved to the heap on every pass: 4).
func TestKeptColumnsAllocateNothingMore(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector are its own")
	}
	g := convGeom{b: 8, c: 16, h: 14, w: 14, o: 32, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, oh: 14, ow: 14}
	rng := rand.New(rand.NewPCG(1, 2))
	x, w, dy := to32(unitValues(rng, int(prod(g.xShape())))), to32(unitValues(rng, int(prod(g.wShape())))), to32(unitValues(rng, int(prod(g.yShape()))))
	allocs := func(keep *colSlot[float32]) float64 {
		s, tm := &scratch[float32]{}, &team{n: 2}
		y, dw := make([]float32, len(dy)), make([]float32, len(w))
		run := func() {
			convPass(tm, convForward, g, s, keep, x, w, y, mul32)
			convPass(tm, convGradFilter, g, s, keep, x, dy, dw, mul32)
		}
		run()
		return testing.AllocsPerRun(10, run)
	}
	if with, without := allocs(&colSlot[float32]{}), allocs(nil); with > without || with > 2 {
		t.Errorf("%v allocations a step with kept columns, %v without", with, without)
	}
}
