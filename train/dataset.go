package train

import (
	"math/rand/v2"

	"github.com/pkg/errors"
)

// Dataset is a set of labelled images of one shape, kept as bytes (0..255)
// and scaled to [0, 1] as batches are filled.
type Dataset struct {
	// Name says where the data came from, for messages.
	Name   string
	Images []uint8 // N*C*H*W bytes, image after image
	Labels []uint8 // N labels in [0, Classes)
	Shape  [3]int  // C, H, W
	// Classes is the number of label values.
	Classes int
}

// Len returns the number of images.
func (d *Dataset) Len() int { return len(d.Labels) }

// imageSize is C*H*W.
func (d *Dataset) imageSize() int { return d.Shape[0] * d.Shape[1] * d.Shape[2] }

// Validate checks that the sizes agree and every label is in range.
func (d *Dataset) Validate() error {
	if d.imageSize() <= 0 || len(d.Images) != d.Len()*d.imageSize() {
		return errors.Errorf("dataset %s: %d bytes of images for %d labels of shape %v", d.Name, len(d.Images), d.Len(), d.Shape)
	}
	for i, l := range d.Labels {
		if int(l) >= d.Classes {
			return errors.Errorf("dataset %s: label %d of image %d is not below %d", d.Name, l, i, d.Classes)
		}
	}
	return nil
}

// Head returns the first n images (all of them when n <= 0 or n >= Len),
// sharing memory with d.
func (d *Dataset) Head(n int) *Dataset {
	if n <= 0 || n >= d.Len() {
		return d
	}
	out := *d
	out.Images = d.Images[:n*d.imageSize()]
	out.Labels = d.Labels[:n]
	return &out
}

// Split holds out the last n images: it returns the first Len-n and the
// last n, sharing memory with d. The split is fixed, not shuffled, so it is
// the same for every seed.
func (d *Dataset) Split(n int) (rest, held *Dataset, err error) {
	if n < 0 || n >= d.Len() {
		return nil, nil, errors.Errorf("dataset %s: cannot hold out %d of %d images", d.Name, n, d.Len())
	}
	k := d.Len() - n
	a, b := *d, *d
	a.Images, a.Labels = d.Images[:k*d.imageSize()], d.Labels[:k]
	b.Images, b.Labels = d.Images[k*d.imageSize():], d.Labels[k:]
	b.Name = d.Name + " (held out)"
	return &a, &b, nil
}

// Fill writes the images idx into dst, scaled to [0, 1], and their labels
// into labels; dst rows past len(idx) are set to zero.
func (d *Dataset) Fill(dst []float32, labels []int, idx []int) {
	sz := d.imageSize()
	for i, j := range idx {
		src := d.Images[j*sz : (j+1)*sz]
		row := dst[i*sz : (i+1)*sz]
		for k, v := range src {
			row[k] = float32(v) / 255
		}
		labels[i] = int(d.Labels[j])
	}
	clear(dst[len(idx)*sz:])
}

// FillShifted is Fill with each image moved by a random offset of up to
// shift pixels along each axis (drawn from rng, uniform in [-shift, shift]),
// the uncovered border set to zero: torchvision's RandomAffine translation
// in whole pixels.
func (d *Dataset) FillShifted(dst []float32, labels []int, idx []int, shift int, rng *rand.Rand) {
	if shift <= 0 {
		d.Fill(dst, labels, idx)
		return
	}
	c, h, w := d.Shape[0], d.Shape[1], d.Shape[2]
	sz := d.imageSize()
	for i, j := range idx {
		dy, dx := rng.IntN(2*shift+1)-shift, rng.IntN(2*shift+1)-shift
		src := d.Images[j*sz : (j+1)*sz]
		row := dst[i*sz : (i+1)*sz]
		clear(row)
		for ch := 0; ch < c; ch++ {
			for y := max(0, dy); y < min(h, h+dy); y++ {
				so := ch*h*w + (y-dy)*w
				do := ch*h*w + y*w
				for x := max(0, dx); x < min(w, w+dx); x++ {
					row[do+x] = float32(src[so+x-dx]) / 255
				}
			}
		}
		labels[i] = int(d.Labels[j])
	}
	clear(dst[len(idx)*sz:])
}
