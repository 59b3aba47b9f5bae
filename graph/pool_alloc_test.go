package graph

import "testing"

// TestPoolAllocations: after its first run, max pooling by the vector
// passes, and "same" average pooling forward and backward, allocate at
// most one value per run (the workers' closure), their scratch lent from
// run to run.
func TestPoolAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, c := range [][2]int{{1, 1}, {2, 0}} { // "same" 3x3/1, and 3x3/2
		st, pad := c[0], c[1]
		o := convOpts{kh: 3, kw: 3, sh: st, sw: st, ph: pad, pw: pad}
		out := (24+2*pad-3)/st + 1
		op := newPoolOp(&team{n: 2}, []int{16, 8, 24, 24}, o, out, out, false)
		in, dst := make([]float32, 16*8*24*24), make([]float32, 16*8*out*out)
		poolForward(op, in, dst)
		if n := testing.AllocsPerRun(20, func() { poolForward(op, in, dst) }); n > 1 {
			t.Errorf("stride %d: %v allocations per run", st, n)
		}
	}
	o := convOpts{kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1}
	op := newPoolOp(&team{n: 2}, []int{16, 8, 8, 8}, o, 8, 8, true)
	in, out, dx := make([]float32, 16*8*8*8), make([]float32, 16*8*8*8), make([]float32, 16*8*8*8)
	avgForward(op, in, out)
	avgBackward(op, out, dx)
	if n := testing.AllocsPerRun(20, func() { avgForward(op, in, out); avgBackward(op, out, dx) }); n > 2 {
		t.Errorf("average pooling: %v allocations per forward and backward", n)
	}
}

// TestIm2colPolyAllocations: the polyphase planes of a stride-2 im2col
// come from a pool: gathering allocates nothing once it is warm.
func TestIm2colPolyAllocations(t *testing.T) {
	g := convGeom{b: 1, c: 2, h: 64, w: 64, o: 1, kh: 7, kw: 7, sh: 2, sw: 2, ph: 3, pw: 3, dh: 1, dw: 1, oh: 32, ow: 32}
	if !g.polyphase() {
		t.Fatal("the 7x7/2 stem is not gathered by planes")
	}
	x, col := make([]float32, g.c*g.h*g.w), make([]float32, g.ckk()*g.ohw())
	im2col(g, x, col, g.ohw(), 0, 0, g.c)
	if n := testing.AllocsPerRun(20, func() { im2col(g, x, col, g.ohw(), 0, 0, g.c) }); n > 0 {
		t.Fatalf("im2col at stride 2 allocates %v times a call", n)
	}
}
