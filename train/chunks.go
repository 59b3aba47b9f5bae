package train

import (
	"runtime"
	"sync"
)

// chunkSize is how many elements of a tensor one goroutine updates at a
// time in an optimizer step: large enough that starting it costs little.
const chunkSize = 1 << 15

// chunk is elements [lo, hi) of tensor i.
type chunk struct{ i, lo, hi int }

// chunks is tensors of the given sizes cut into chunks, made once with
// the optimizer so that a step allocates nothing for it.
type chunks []chunk

func newChunks(sizes []int) chunks {
	var cs chunks
	for i, n := range sizes {
		for lo := 0; lo < n; lo += chunkSize {
			cs = append(cs, chunk{i, lo, min(n, lo+chunkSize)})
		}
	}
	return cs
}

// each calls f(i, lo, hi) for every chunk, spread over the cores. Updates
// that are element by element (Adam, SGD with momentum) give the same bits
// in any order, so the result does not depend on how many cores there are.
func (cs chunks) each(f func(i, lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), len(cs))
	if workers <= 1 {
		for _, c := range cs {
			f(c.i, c.lo, c.hi)
		}
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := w; k < len(cs); k += workers {
				f(cs[k].i, cs[k].lo, cs[k].hi)
			}
		}(w)
	}
	wg.Wait()
}
