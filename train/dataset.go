package train

import (
	"math"
	"math/rand/v2"

	"github.com/pkg/errors"
)

// Dataset is a set of labelled images of one shape, kept as bytes (0..255)
// and scaled to [0, 1] as batches are filled.
type Dataset struct {
	// Name says where the data came from, for messages.
	Name   string
	Images []uint8 // N images of Stored (or Shape) bytes, image after image
	Labels []uint8 // N labels in [0, Classes)
	// Shape is C, H, W of the images as batches receive them.
	Shape [3]int
	// Stored is the shape of Images when they are resized on the fly to
	// Shape (see Resize); zero means Shape.
	Stored [3]int
	// Classes is the number of label values.
	Classes int
	// ClassNames names the labels (nil: their numbers).
	ClassNames []string
	// Mean and Std normalise every pixel after scaling to [0, 1] and
	// augmenting: (x - Mean) / Std, as torchvision's Normalize after
	// ToTensor. Std 0: no normalisation.
	Mean, Std float32
}

// Len returns the number of images.
func (d *Dataset) Len() int { return len(d.Labels) }

// stored is the shape of one stored image.
func (d *Dataset) stored() [3]int {
	if d.Stored == ([3]int{}) {
		return d.Shape
	}
	return d.Stored
}

// storedSize is C*H*W of a stored image.
func (d *Dataset) storedSize() int { s := d.stored(); return s[0] * s[1] * s[2] }

// imageSize is C*H*W of an image as filled into a batch.
func (d *Dataset) imageSize() int { return d.Shape[0] * d.Shape[1] * d.Shape[2] }

// Validate checks that the sizes agree and every label is in range.
func (d *Dataset) Validate() error {
	if d.storedSize() <= 0 || len(d.Images) != d.Len()*d.storedSize() {
		return errors.Errorf("dataset %s: %d bytes of images for %d labels of shape %v", d.Name, len(d.Images), d.Len(), d.stored())
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
	out.Images = d.Images[:n*d.storedSize()]
	out.Labels = d.Labels[:n]
	return &out
}

// Split holds out the last n images: it returns the first Len-n and the
// last n, sharing memory with d. The split is fixed, not shuffled, so it is
// the same for every seed.
func (d *Dataset) Split(n int) (rest, held *Dataset, err error) {
	if n < 0 || n >= d.Len() {
		return nil, nil, errors.Errorf("dataset %s: cannot hold out %d of %d images for validation", d.Name, n, d.Len())
	}
	k, sz := d.Len()-n, d.storedSize()
	a, b := *d, *d
	a.Images, a.Labels = d.Images[:k*sz], d.Labels[:k]
	b.Images, b.Labels = d.Images[k*sz:], d.Labels[k:]
	b.Name = d.Name + " (held out)"
	return &a, &b, nil
}

// Resize returns a view of d whose images are scaled to h x w with
// bilinear interpolation (half-pixel centres, as PyTorch's interpolate with
// align_corners=False) as batches are filled, as d2l enlarges MNIST for the
// networks that need a larger input. The stored bytes are shared.
func (d *Dataset) Resize(h, w int) (*Dataset, error) {
	if h <= 0 || w <= 0 {
		return nil, errors.Errorf("dataset %s: resize to %dx%d", d.Name, h, w)
	}
	out := *d
	out.Stored = d.stored()
	out.Shape = [3]int{out.Stored[0], h, w}
	if out.Shape == out.Stored {
		out.Stored = [3]int{}
	}
	return &out, nil
}

// Fill writes the images idx into dst, scaled to [0, 1] (and normalised
// when the dataset says so), and their labels into labels; dst rows past
// len(idx) are set to zero.
func (d *Dataset) Fill(dst []float32, labels []int, idx []int) {
	d.FillAugmented(dst, labels, idx, Augment{}, nil)
}

// FillAugmented is Fill with the random augmentation a applied to each
// image, drawing from rng (which may be nil when a does nothing). The draws
// per image are, in this order: the shift (two), the crop (two), the flip
// (one), each only when it is on, so a job without one of them draws as
// before it existed.
func (d *Dataset) FillAugmented(dst []float32, labels []int, idx []int, a Augment, rng *rand.Rand) {
	sz := d.imageSize()
	resize := d.Stored != ([3]int{}) && d.Stored != d.Shape
	var scratch, crop []float32
	if resize {
		scratch = make([]float32, d.storedSize())
	}
	if a.CropPad > 0 {
		crop = make([]float32, sz)
	}
	for i, j := range idx {
		dy, dx := 0, 0
		if a.Shift > 0 {
			dy, dx = rng.IntN(2*a.Shift+1)-a.Shift, rng.IntN(2*a.Shift+1)-a.Shift
		}
		row := dst[i*sz : (i+1)*sz]
		if resize {
			d.shifted(scratch, j, dy, dx)
			bilinear(row, scratch, d.Stored, d.Shape[1], d.Shape[2])
		} else {
			d.shifted(row, j, dy, dx)
		}
		if a.CropPad > 0 {
			cy, cx := rng.IntN(2*a.CropPad+1)-a.CropPad, rng.IntN(2*a.CropPad+1)-a.CropPad
			if cy != 0 || cx != 0 {
				copy(crop, row)
				translate(row, crop, d.Shape, cy, cx)
			}
		}
		if a.Flip && rng.IntN(2) == 1 {
			mirror(row, d.Shape)
		}
		if d.Std > 0 {
			for k, v := range row {
				row[k] = (v - d.Mean) / d.Std
			}
		}
		labels[i] = int(d.Labels[j])
	}
	clear(dst[len(idx)*sz:])
}

// shifted writes stored image j, moved by (dy, dx) and scaled to [0, 1],
// into out.
func (d *Dataset) shifted(out []float32, j, dy, dx int) {
	s := d.stored()
	c, h, w := s[0], s[1], s[2]
	src := d.Images[j*d.storedSize() : (j+1)*d.storedSize()]
	if dy == 0 && dx == 0 {
		for k, v := range src {
			out[k] = float32(v) / 255
		}
		return
	}
	clear(out)
	for ch := 0; ch < c; ch++ {
		for y := max(0, dy); y < min(h, h+dy); y++ {
			so, do := ch*h*w+(y-dy)*w, ch*h*w+y*w
			for x := max(0, dx); x < min(w, w+dx); x++ {
				out[do+x] = float32(src[so+x-dx]) / 255
			}
		}
	}
}

// bilinear resizes src, of shape s, to h x w per channel into dst.
func bilinear(dst, src []float32, s [3]int, h, w int) {
	sh, sw := s[1], s[2]
	coord := func(o, in, out int) (int, int, float32) {
		f := (float32(o)+0.5)*float32(in)/float32(out) - 0.5
		if f < 0 {
			f = 0
		}
		i0 := int(f)
		if i0 > in-1 {
			i0 = in - 1
		}
		i1 := min(i0+1, in-1)
		return i0, i1, f - float32(i0)
	}
	for ch := 0; ch < s[0]; ch++ {
		plane := src[ch*sh*sw : (ch+1)*sh*sw]
		out := dst[ch*h*w : (ch+1)*h*w]
		for y := 0; y < h; y++ {
			y0, y1, fy := coord(y, sh, h)
			for x := 0; x < w; x++ {
				x0, x1, fx := coord(x, sw, w)
				top := plane[y0*sw+x0]*(1-fx) + plane[y0*sw+x1]*fx
				bot := plane[y1*sw+x0]*(1-fx) + plane[y1*sw+x1]*fx
				out[y*w+x] = top*(1-fy) + bot*fy
			}
		}
	}
}

// Fit returns the data resized to the network's input, or an error when the
// channels differ.
func (d Data) Fit(input [3]int) (Data, error) {
	var err error
	for _, ds := range []**Dataset{&d.Train, &d.Val, &d.Test} {
		if *ds == nil || err != nil {
			continue
		}
		if (*ds).Shape[0] != input[0] {
			return d, errors.Errorf("dataset %s has %d channels, the network takes %d", (*ds).Name, (*ds).Shape[0], input[0])
		}
		if (*ds).Shape != input {
			*ds, err = (*ds).Resize(input[1], input[2])
		}
	}
	return d, err
}

// PixelStats returns the mean and standard deviation of d's pixels scaled
// to [0, 1], over every stored pixel (before resizing or augmentation), in
// float64: what a recipe's normalisation uses.
func PixelStats(d *Dataset) (mean, std float64, err error) {
	if len(d.Images) == 0 {
		return 0, 0, errors.Errorf("dataset %s: no images to take statistics of", d.Name)
	}
	var hist [256]int64
	for _, v := range d.Images {
		hist[v]++
	}
	n := float64(len(d.Images))
	for v, c := range hist {
		mean += float64(c) * float64(v) / 255
	}
	mean /= n
	for v, c := range hist {
		dv := float64(v)/255 - mean
		std += float64(c) * dv * dv
	}
	std /= n
	return mean, math.Sqrt(std), nil
}
