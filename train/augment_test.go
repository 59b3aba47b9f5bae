package train

import (
	"math/rand/v2"
	"testing"
)

// tiny is one 1x3x4 image with pixels 1..12, label 3.
func tiny() *Dataset {
	return &Dataset{Name: "tiny", Images: []uint8{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Labels: []uint8{3}, Shape: [3]int{1, 3, 4}, Classes: 10}
}

func TestFlip(t *testing.T) {
	d := tiny()
	dst, labels := make([]float32, 12), make([]int, 1)
	rng := rand.New(rand.NewPCG(3, 4))
	flipped := 0
	for trial := 0; trial < 400; trial++ {
		d.FillAugmented(dst, labels, []int{0}, Augment{Flip: true}, rng)
		mirrored := dst[0] == 4.0/255
		for y := 0; y < 3; y++ {
			for x := 0; x < 4; x++ {
				sx := x
				if mirrored {
					sx = 3 - x
				}
				if want := float32(d.Images[y*4+sx]) / 255; dst[y*4+x] != want {
					t.Fatalf("mirrored %v: pixel (%d,%d) = %v, want %v", mirrored, y, x, dst[y*4+x], want)
				}
			}
		}
		if mirrored {
			flipped++
		}
	}
	if flipped < 160 || flipped > 240 {
		t.Fatalf("%d of 400 images flipped, want about half", flipped)
	}
}

func TestCropPad(t *testing.T) {
	d := tiny()
	dst, labels := make([]float32, 12), make([]int, 1)
	rng := rand.New(rand.NewPCG(5, 6))
	seen := map[[2]int]bool{}
	for trial := 0; trial < 500; trial++ {
		d.FillAugmented(dst, labels, []int{0}, Augment{CropPad: 2}, rng)
		// Each result is the image moved by some (dy, dx) in [-2, 2]^2,
		// zeros where it was padded: find which.
		match := 0
		for dy := -2; dy <= 2; dy++ {
			for dx := -2; dx <= 2; dx++ {
				ok := true
				for y := 0; y < 3 && ok; y++ {
					for x := 0; x < 4 && ok; x++ {
						sy, sx := y-dy, x-dx
						want := float32(0)
						if sy >= 0 && sy < 3 && sx >= 0 && sx < 4 {
							want = float32(d.Images[sy*4+sx]) / 255
						}
						ok = dst[y*4+x] == want
					}
				}
				if ok {
					seen[[2]int{dy, dx}] = true
					match++
				}
			}
		}
		if match == 0 {
			t.Fatalf("crop %v is no translation of the image", dst)
		}
	}
	if len(seen) != 25 {
		t.Fatalf("%d of the 25 crops of a 2-pixel padding drawn", len(seen))
	}
}

// TestCropAfterResize checks that the crop works on the image as the
// network takes it: a 2x2 image resized to 4x4 and moved by whole pixels
// of the 4x4 grid.
func TestCropAfterResize(t *testing.T) {
	d := &Dataset{Name: "small", Images: []uint8{0, 255, 255, 0}, Labels: []uint8{1}, Shape: [3]int{1, 2, 2}, Classes: 2}
	r, err := d.Resize(4, 4)
	if err != nil {
		t.Fatal(err)
	}
	plain, dst, labels := make([]float32, 16), make([]float32, 16), make([]int, 1)
	r.Fill(plain, labels, []int{0})
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 50; trial++ {
		r.FillAugmented(dst, labels, []int{0}, Augment{CropPad: 1}, rng)
		found := false
		for dy := -1; dy <= 1 && !found; dy++ {
			for dx := -1; dx <= 1 && !found; dx++ {
				want := make([]float32, 16)
				translate(want, plain, r.Shape, dy, dx)
				found = equal(want, dst)
			}
		}
		if !found {
			t.Fatalf("%v is not the resized image moved by one pixel or less", dst)
		}
	}
}

func equal(a, b []float32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// TestAugmentDrawsOnlyWhenOn checks that a job without crop or flip draws
// the same numbers as before they existed: the shift's two per image.
func TestAugmentDrawsOnlyWhenOn(t *testing.T) {
	d := tiny()
	dst, labels := make([]float32, 12), make([]int, 1)
	a, b := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 20; i++ {
		d.FillAugmented(dst, labels, []int{0}, Augment{Shift: 1}, a)
		b.IntN(3)
		b.IntN(3)
	}
	if a.Uint64() != b.Uint64() {
		t.Fatal("the shift alone drew more than two numbers per image")
	}
}

func TestNormalize(t *testing.T) {
	d := tiny()
	mean, std, err := PixelStats(d)
	if err != nil {
		t.Fatal(err)
	}
	// Pixels 1..12 over 255: mean 6.5/255, variance (12^2-1)/12 / 255^2.
	if wantMean := 6.5 / 255; abs(mean-wantMean) > 1e-12 {
		t.Fatalf("mean %v, want %v", mean, wantMean)
	}
	if wantStd := 3.452052529534663 / 255; abs(std-wantStd) > 1e-12 {
		t.Fatalf("std %v, want %v", std, wantStd)
	}
	d.Mean, d.Std = float32(mean), float32(std)
	dst, labels := make([]float32, 12), make([]int, 1)
	d.Fill(dst, labels, []int{0})
	var s, s2 float64
	for _, v := range dst {
		s += float64(v)
		s2 += float64(v) * float64(v)
	}
	if abs(s/12) > 1e-5 || abs(s2/12-1) > 1e-5 {
		t.Fatalf("normalised pixels have mean %v and mean square %v, want 0 and 1", s/12, s2/12)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
