package train

import (
	"math/rand/v2"
	"testing"
)

func TestFillAugmentedShift(t *testing.T) {
	// One 3x4 image with pixels 1..12 and one label.
	d := &Dataset{Name: "tiny", Images: []uint8{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Labels: []uint8{3}, Shape: [3]int{1, 3, 4}, Classes: 10}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	dst, labels := make([]float32, 12), make([]int, 1)
	seen := map[[2]int]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		d.FillAugmented(dst, labels, []int{0}, Augment{Shift: 1}, rng)
		if labels[0] != 3 {
			t.Fatalf("label %d", labels[0])
		}
		// Find the offset from where pixel 6 (row 1, col 1) went.
		found := false
		for y := 0; y < 3 && !found; y++ {
			for x := 0; x < 4 && !found; x++ {
				if dst[y*4+x] == 6.0/255 {
					dy, dx := y-1, x-1
					seen[[2]int{dy, dx}] = true
					found = true
					// Every pixel is the source moved by (dy, dx), or zero off the image.
					for yy := 0; yy < 3; yy++ {
						for xx := 0; xx < 4; xx++ {
							sy, sx := yy-dy, xx-dx
							want := float32(0)
							if sy >= 0 && sy < 3 && sx >= 0 && sx < 4 {
								want = float32(d.Images[sy*4+sx]) / 255
							}
							if dst[yy*4+xx] != want {
								t.Fatalf("offset (%d,%d): pixel (%d,%d) = %v, want %v", dy, dx, yy, xx, dst[yy*4+xx], want)
							}
						}
					}
				}
			}
		}
		if !found {
			t.Fatal("centre pixel lost with a shift of 1")
		}
	}
	if len(seen) != 9 {
		t.Fatalf("%d of the 9 offsets in [-1, 1]^2 drawn", len(seen))
	}
	d.FillAugmented(dst, labels, []int{0}, Augment{}, rng)
	for i, v := range dst {
		if v != float32(i+1)/255 {
			t.Fatalf("shift 0 changed pixel %d", i)
		}
	}
}

func TestSplitAndHead(t *testing.T) {
	d := &Dataset{Images: make([]uint8, 10*4), Labels: []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Shape: [3]int{1, 2, 2}, Classes: 10}
	rest, held, err := d.Split(3)
	if err != nil || rest.Len() != 7 || held.Len() != 3 || held.Labels[0] != 7 || len(held.Images) != 12 {
		t.Fatalf("split: %v", err)
	}
	if d.Head(4).Len() != 4 || d.Head(0).Len() != 10 {
		t.Fatal("head")
	}
	if _, _, err := d.Split(10); err == nil {
		t.Fatal("holding out everything accepted")
	}
}

// TestResize checks bilinear upsampling against values worked by hand
// (PyTorch's interpolate, align_corners=False).
func TestResize(t *testing.T) {
	d := &Dataset{Name: "2x2", Images: []uint8{0, 255, 255, 0}, Labels: []uint8{1}, Shape: [3]int{1, 2, 2}, Classes: 2}
	r, err := d.Resize(4, 4)
	if err != nil {
		t.Fatal(err)
	}
	dst, labels := make([]float32, 16), make([]int, 1)
	r.Fill(dst, labels, []int{0})
	// Row 0: x maps to source -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
	want := []float32{0, 0.25, 0.75, 1, 0.25, 0.375, 0.625, 0.75, 0.75, 0.625, 0.375, 0.25, 1, 0.75, 0.25, 0}
	for i := range want {
		if d := dst[i] - want[i]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("pixel %d: %v, want %v (all: %v)", i, dst[i], want[i], dst)
		}
	}
	if labels[0] != 1 || r.Shape != [3]int{1, 4, 4} {
		t.Fatalf("label %d, shape %v", labels[0], r.Shape)
	}
	fit, err := (Data{Train: d, Test: d}).Fit([3]int{1, 4, 4})
	if err != nil || fit.Train.Shape != [3]int{1, 4, 4} || fit.Val != nil {
		t.Fatalf("fit: %v %+v", err, fit)
	}
	if _, err := (Data{Train: d}).Fit([3]int{3, 4, 4}); err == nil {
		t.Fatal("fitting one channel to three accepted")
	}
}
