package train

// Augment is the random augmentation of training images, drawn from the
// run's seed (validation and test images are never augmented).
type Augment struct {
	// Shift moves each stored image by up to Shift pixels per axis before
	// any resizing (torchvision's RandomAffine translation in whole pixels;
	// the uncovered border is zero).
	Shift int
	// CropPad pads each image as the network takes it (after resizing) by
	// CropPad zero pixels on every side and crops it back to its size at a
	// random place: torchvision's RandomCrop(size, padding=CropPad).
	CropPad int
	// Flip mirrors each image left to right with probability 1/2
	// (RandomHorizontalFlip): right for clothes, wrong for digits.
	Flip bool
}

// translate writes src, of shape s, moved by (dy, dx) into out, the
// uncovered border zero.
func translate(out, src []float32, s [3]int, dy, dx int) {
	c, h, w := s[0], s[1], s[2]
	clear(out)
	for ch := 0; ch < c; ch++ {
		for y := max(0, dy); y < min(h, h+dy); y++ {
			so, do := ch*h*w+(y-dy)*w, ch*h*w+y*w
			x0, x1 := max(0, dx), min(w, w+dx)
			if x0 < x1 {
				copy(out[do+x0:do+x1], src[so+x0-dx:so+x1-dx])
			}
		}
	}
}

// mirror flips an image of shape s left to right in place.
func mirror(img []float32, s [3]int) {
	w := s[2]
	for r := 0; r < s[0]*s[1]; r++ {
		row := img[r*w : (r+1)*w]
		for a, b := 0, w-1; a < b; a, b = a+1, b-1 {
			row[a], row[b] = row[b], row[a]
		}
	}
}
