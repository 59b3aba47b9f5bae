package gemm

import (
	"runtime"
	"sync"
	"unsafe"

	parallel "github.com/convnets/convnets/internal/workers"
)

// Blocking: a task computes an mc x nc tile of C over the whole k, in kc
// steps; panels are mr x kc of A and kc x nr of B.
const (
	kc = 256
	mc = 96  // a multiple of mr
	nc = 256 // a multiple of nr
	// maxMR and maxNR bound the kernel's block (mr x nr, per CPU).
	maxMR, maxNR = 12, 32
)

// Matrix is a row-major matrix view: element (i, j) is Data[i*Stride+j],
// or Data[j*Stride+i] when Trans is set (the view is the transpose of what
// is stored).
type Matrix struct {
	Data   []float32
	Stride int
	Trans  bool
}

func (m Matrix) at(i, j int) float32 {
	if m.Trans {
		return m.Data[j*m.Stride+i]
	}
	return m.Data[i*m.Stride+j]
}

// Mul sets C (m x n, row stride ldc) to A·B, or adds A·B to it when
// accumulate is set; A is m x k and B is k x n as views. It uses up to
// workers goroutines for large products (0: GOMAXPROCS); the result is the
// same, bit for bit, for any number.
func Mul(workers, m, n, k int, a, b Matrix, c []float32, ldc int, accumulate bool) {
	mul(workers, m, n, k, operand{a: a}, b, c, ldc, accumulate)
}

// operand is the left factor A: a view packed block by block as the
// product goes, or packed once before (p).
type operand struct {
	a Matrix
	p *Packed
}

func mul(workers, m, n, k int, a operand, b Matrix, c []float32, ldc int, accumulate bool) {
	if m == 0 || n == 0 {
		return
	}
	// The kernel sets C on the first k block where it can (C is then
	// never read before it is written); else C is cleared first.
	set := !accumulate && overwrites() && k > 0
	if !accumulate && !set {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	if k == 0 {
		return
	}
	// Tiles of about nc columns, as many as a multiple of the workers so
	// that none waits for another. How C is split does not change any
	// element's sum: each adds its k products in kc blocks, in order.
	if p := runtime.GOMAXPROCS(0); workers <= 0 || workers > p {
		workers = p
	}
	if int64(m)*int64(n)*int64(k) < 1<<16 {
		workers = 1
	}
	// The panels of nr columns are dealt out evenly: tile t holds panels
	// t*panels/tiles up to (t+1)*panels/tiles, so no worker gets more than
	// one panel per tile over another.
	panels := (n + nr - 1) / nr
	tiles := (n + nc - 1) / nc
	tiles = min(panels, (tiles+workers-1)/workers*workers)
	workers = min(workers, tiles)
	if workers == 1 { // no closure: a product on one worker allocates nothing
		tilesOf(0, 1, tiles, panels, n, m, k, a, b, c, ldc, set)
		return
	}
	parallel.Run(workers, func(w int) { tilesOf(w, workers, tiles, panels, n, m, k, a, b, c, ldc, set) })
}

// tilesOf is worker w's share of mul: tiles w, w+workers, ... of C's
// columns, with packing space from the pool.
func tilesOf(w, workers, tiles, panels, n, m, k int, a operand, b Matrix, c []float32, ldc int, set bool) {
	buf := pool.Get().(*buffers)
	defer pool.Put(buf)
	for t := w; t < tiles; t += workers {
		j0, j1 := t*panels/tiles*nr, min(n, (t+1)*panels/tiles*nr)
		columns(j0, j1-j0, m, k, a, b, c, ldc, set, buf)
	}
}

// pool keeps packing space between calls, so that a training step
// allocates none (every value is written before it is read).
var pool = sync.Pool{New: func() any { return new(buffers) }}

// buffers are one goroutine's packing space.
type buffers struct {
	a, b []float32
	edge [maxMR * maxNR]float32
}

// columns adds A·B[:, j0:j0+nb] to C's columns j0..j0+nb (or, with set,
// writes the first k block's products over them): for each block of kc
// steps of k, B's block is packed once and A is packed mc rows at a time
// (or read from its panels packed before).
func columns(j0, nb, m, k int, a operand, b Matrix, c []float32, ldc int, set bool, buf *buffers) {
	pn := (nb + nr - 1) / nr
	if need := (mc / mr) * mr * kc; len(buf.a) < need {
		buf.a = make([]float32, need)
	}
	if need := pn * nr * kc; len(buf.b) < need {
		buf.b = make([]float32, need)
	}
	direct := !b.Trans // full panels of B are read in place, rows b.Stride apart
	for p0 := 0; p0 < k; p0 += kc {
		kb := min(kc, k-p0)
		if direct {
			if full := nb / nr * nr; full < nb { // pack only the last, partial panel
				packB(buf.b[full/nr*nr*kb:], b, j0+full, nb-full, p0, kb)
			}
		} else {
			packB(buf.b, b, j0, nb, p0, kb)
		}
		for i0 := 0; i0 < m; i0 += mc {
			mb := min(mc, m-i0)
			pm := (mb + mr - 1) / mr
			ablock := buf.a
			if a.p != nil {
				ablock = a.p.block(i0, p0, kb)
			} else {
				packA(ablock, a.a, i0, mb, p0, kb)
			}
			first := set && p0 == 0
			for jp := 0; jp < pn; jp++ {
				bp, ldb := buf.b[jp*nr*kb:(jp+1)*nr*kb], nr
				cols := min(nr, nb-jp*nr)
				if direct && cols == nr {
					bp, ldb = b.Data[p0*b.Stride+j0+jp*nr:], b.Stride
				}
				for ip := 0; ip < pm; ip++ {
					ap := ablock[ip*mr*kb : (ip+1)*mr*kb]
					rows := min(mr, mb-ip*mr)
					ci := (i0+ip*mr)*ldc + j0 + jp*nr
					if rows == mr && cols == nr {
						kernel(kb, ap, bp, ldb, c[ci:], ldc, first)
						continue
					}
					if edgeKernel(kb, ap, bp, ldb, c[ci:], ldc, rows, cols, first) {
						continue
					}
					// Only kernels that always add get here (set needs
					// overwrites(), whose CPUs mask every edge block).
					e := buf.edge[:mr*nr]
					clear(e)
					kernel(kb, ap, bp, ldb, e, nr, false)
					for r := 0; r < rows; r++ {
						row := c[ci+r*ldc : ci+r*ldc+cols]
						for j := range row {
							row[j] += e[r*nr+j]
						}
					}
				}
			}
		}
	}
}

// packA copies A[i0:i0+mb, p0:p0+kb] into panels of mr rows: panel ip holds,
// for each p, the mr values of its rows (zero past the last row).
func packA(dst []float32, a Matrix, i0, mb, p0, kb int) {
	for ip := 0; ip*mr < mb; ip++ {
		panel := dst[ip*mr*kb : (ip+1)*mr*kb]
		rows := min(mr, mb-ip*mr)
		if a.Trans { // rows of the view are columns of the data: read along them
			packTrans(panel, a, i0+ip*mr, rows, p0, kb)
			continue
		}
		for p := 0; p < kb; p++ { // zero rows past the last
			clear(panel[p*mr+rows : p*mr+mr])
		}
		transposeRows(rows, kb, a.Data[(i0+ip*mr)*a.Stride+p0:], a.Stride, panel, mr)
	}
}

// packTrans copies rows i..i+rows of A, a transposed view, at steps
// p0..p0+kb into panel (mr values a step, zero past the last row): a run
// of the data's row each, as six words in the common case rather than
// through copy's call to memmove.
func packTrans(panel []float32, a Matrix, i, rows, p0, kb int) {
	src := a.Data[p0*a.Stride+i:]
	if rows == 12 && mr == 12 {
		_, _ = panel[kb*12-1], src[(kb-1)*a.Stride+11]
		for p := 0; p < kb; p++ { // as six 8-byte words: no call to memmove
			d := (*[6]uint64)(unsafe.Pointer(&panel[p*12]))
			s := (*[6]uint64)(unsafe.Pointer(&src[p*a.Stride]))
			d[0], d[1], d[2], d[3], d[4], d[5] = s[0], s[1], s[2], s[3], s[4], s[5]
		}
		return
	}
	for p := 0; p < kb; p++ {
		dst := panel[p*mr : p*mr+mr]
		copy(dst, src[p*a.Stride:p*a.Stride+rows])
		clear(dst[rows:])
	}
}

// packB copies B[p0:p0+kb, j0:j0+nb] into panels of nr columns: panel jp
// holds, for each p, the nr values of its columns (zero past the last).
func packB(dst []float32, b Matrix, j0, nb, p0, kb int) {
	for jp := 0; jp*nr < nb; jp++ {
		panel := dst[jp*nr*kb : (jp+1)*nr*kb]
		cols := min(nr, nb-jp*nr)
		j := j0 + jp*nr
		if b.Trans { // columns of the view are rows of the data: transposed
			if cols < nr {
				for p := 0; p < kb; p++ {
					clear(panel[p*nr+cols : p*nr+nr])
				}
			}
			transposeRows(cols, kb, b.Data[j*b.Stride+p0:], b.Stride, panel, nr)
			continue
		}
		for p := 0; p < kb; p++ {
			out := panel[p*nr : p*nr+nr]
			copy(out[:cols], b.Data[(p0+p)*b.Stride+j:(p0+p)*b.Stride+j+cols])
			clear(out[cols:])
		}
	}
}

// kernelGo is the portable kernel: the same sums as the assembly one, in
// the same order (without fused multiply-adds, so the last bit may differ).
func kernelGo(k int, a, b []float32, ldb int, c []float32, ldc int) {
	var buf [maxMR * maxNR]float32
	acc := buf[:mr*nr]
	for p := 0; p < k; p++ {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*ldb : p*ldb+nr]
		for r, av := range ap {
			row := acc[r*nr : r*nr+nr]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for r := 0; r < mr; r++ {
		row := c[r*ldc : r*ldc+nr]
		for j := range row {
			row[j] += acc[r*nr+j]
		}
	}
}

// Panel is the width of the kernel's blocks of C's columns on this CPU
// (32 with AVX-512, else 16): a product whose n is a multiple of it has
// no partial panel.
func Panel() int { return nr }
