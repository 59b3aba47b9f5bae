package gemm

import (
	"runtime"

	parallel "github.com/convnets/convnets/internal/workers"
)

// Packed is a left factor A packed once into the kernel's panels, for
// several products with it (a convolution's weights, multiplied by each
// image's columns in turn): MulPacked reads the panels instead of packing
// A again for every tile of every product. The zero value is empty; Pack
// fills it, reusing its space.
type Packed struct {
	m, k int
	data []float32
}

// Pack packs A (m x k, as a view) into p: for each block of kc steps of k,
// the rows in panels of mr (zero past the last row), as columns packs them.
// Blocks are dealt out to up to workers goroutines (0: GOMAXPROCS).
func (p *Packed) Pack(workers, m, k int, a Matrix) {
	mp := (m + mr - 1) / mr * mr
	if cap(p.data) < mp*k {
		p.data = make([]float32, mp*k)
	}
	p.data = p.data[:mp*k]
	p.m, p.k = m, k
	mb, kbs := (m+mc-1)/mc, (k+kc-1)/kc
	if p := runtime.GOMAXPROCS(0); workers <= 0 || workers > p {
		workers = p
	}
	if workers = min(workers, mb*kbs); workers <= 1 || m*k < 1<<15 {
		for b := 0; b < mb*kbs; b++ { // no closure: nothing allocated on one worker
			p.packBlock(a, b, mb)
		}
		return
	}
	parallel.Run(workers, func(w int) {
		for b := w; b < mb*kbs; b += workers {
			p.packBlock(a, b, mb)
		}
	})
}

// packBlock packs block b of A (row block b%mb, k block b/mb).
func (p *Packed) packBlock(a Matrix, b, mb int) {
	i0, p0 := b%mb*mc, b/mb*kc
	kb := min(kc, p.k-p0)
	packA(p.block(i0, p0, kb), a, i0, min(mc, p.m-i0), p0, kb)
}

// block is the packed rows i0.. (a multiple of mc) of the k block that
// starts at p0 and is kb deep.
func (p *Packed) block(i0, p0, kb int) []float32 {
	mp := (p.m + mr - 1) / mr * mr
	return p.data[p0*mp+i0*kb:]
}

// MulPacked is Mul with A packed before: C (p's rows x n) is set to A·B or
// A·B is added to it. The result is Mul's, bit for bit.
func MulPacked(workers, n int, a *Packed, b Matrix, c []float32, ldc int, accumulate bool) {
	mul(workers, a.m, n, a.k, operand{p: a}, b, c, ldc, accumulate)
}
