package train

import (
	"runtime"
	"sync"
)

// chunkSize is how many elements of a tensor one goroutine updates at a
// time in an optimizer step: large enough that starting it costs little.
const chunkSize = 1 << 15

// eachChunk calls f(i, lo, hi) for every chunk [lo, hi) of every tensor i
// of the given sizes, spread over the cores. Updates that are element by
// element (Adam, SGD with momentum) give the same bits in any order, so
// the result does not depend on how many cores there are.
func eachChunk(sizes []int, f func(i, lo, hi int)) {
	type chunk struct{ i, lo, hi int }
	var chunks []chunk
	for i, n := range sizes {
		for lo := 0; lo < n; lo += chunkSize {
			chunks = append(chunks, chunk{i, lo, min(n, lo+chunkSize)})
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(chunks))
	if workers <= 1 {
		for _, c := range chunks {
			f(c.i, c.lo, c.hi)
		}
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := w; k < len(chunks); k += workers {
				f(chunks[k].i, chunks[k].lo, chunks[k].hi)
			}
		}(w)
	}
	wg.Wait()
}
