package gemm

import "testing"

// TestTransposeRows: every row count (the strips of four and the rest) and
// column count (whole blocks of four and the rest), against the definition,
// without writing outside the destination's columns.
func TestTransposeRows(t *testing.T) {
	for rows := 0; rows <= 13; rows++ {
		for _, cols := range []int{0, 1, 3, 4, 5, 8, 17, 256} {
			lds, ldd := cols+3, rows+2
			src := make([]float32, max(1, rows*lds))
			for i := range src {
				src[i] = float32(i + 1)
			}
			dst := make([]float32, max(1, cols*ldd))
			for i := range dst {
				dst[i] = -1
			}
			transposeRows(rows, cols, src, lds, dst, ldd)
			for p := 0; p < cols; p++ {
				for r := 0; r < ldd; r++ {
					want := float32(-1)
					if r < rows {
						want = src[r*lds+p]
					}
					if got := dst[p*ldd+r]; got != want {
						t.Fatalf("%d rows x %d columns: dst[%d][%d] = %v, want %v", rows, cols, p, r, got, want)
					}
				}
			}
		}
	}
}

// BenchmarkTranspose packs a 32 x 256 block (a panel of B as the weight
// gradient's transposed columns need) four rows at a time and eight rows
// at a time, in one command.
func BenchmarkTranspose(b *testing.B) {
	const rows, cols = 32, 256
	src, dst := make([]float32, rows*1568), make([]float32, cols*rows)
	b.Run("strips-of-4", func(b *testing.B) {
		for b.Loop() {
			for r := 0; r < rows; r += 4 {
				transposeStrip(cols/4, src[r*1568:], 1568, dst[r:], rows)
			}
		}
	})
	b.Run("strips-of-8", func(b *testing.B) {
		for b.Loop() {
			transposeRows(rows, cols, src, 1568, dst, rows)
		}
	})
}
