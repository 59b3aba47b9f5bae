package jobs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	_ "image/gif"  // decoders for LoadImage
	_ "image/jpeg" // decoders for LoadImage
	_ "image/png"  // decoders for LoadImage
	"io"
	"math"
	"sort"
	"strings"

	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// maxImageFile bounds an image file read by LoadImage; maxImageSide its
// decoded side.
const (
	maxImageFile = 64 << 20
	maxImageSide = 4096
)

// Invert says whether LoadImage turns dark strokes on a light background
// into MNIST's light strokes on black: "auto" (when the image's border is
// lighter than mid-grey), "yes" or "no".
type Invert string

// ParseInvert checks an Invert given as text (a -invert flag).
func ParseInvert(s string) (Invert, error) {
	switch Invert(s) {
	case "auto", "yes", "no":
		return Invert(s), nil
	}
	return "", InputError{fmt.Errorf("-invert %q: want auto, yes or no", s)}
}

// LoadImages is LoadImage for each of paths, in order.
func LoadImages(paths []string, side int, inv Invert) ([][]uint8, error) {
	var images [][]uint8
	for _, path := range paths {
		img, err := LoadImage(path, side, inv)
		if err != nil {
			return nil, err
		}
		images = append(images, img)
	}
	return images, nil
}

// LoadImage reads a PNG, JPEG or GIF file as a side x side grey image
// (0..255, light strokes on black as MNIST's): converted to grey (luma),
// inverted as inv says, padded to a square with its border's mean grey
// (proportions kept), and scaled to side x side with an area average (each
// output pixel the mean of the input pixels it covers).
func LoadImage(path string, side int, inv Invert) ([]uint8, error) {
	b, err := safefile.ReadFile(path, "image", maxImageFile)
	if err != nil {
		return nil, err
	}
	return DecodeImage(b, path, side, inv)
}

// DecodeImage is LoadImage on the bytes of an image file; name names it in
// errors.
func DecodeImage(b []byte, path string, side int, inv Invert) ([]uint8, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("image %s: %w (want PNG, JPEG or GIF)", path, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return nil, fmt.Errorf("image %s is %dx%d: want 1 to %d pixels a side", path, cfg.Width, cfg.Height, maxImageSide)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	grey := make([]float64, w*h)
	var border float64
	edge := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := float64(color.GrayModel.Convert(img.At(r.Min.X+x, r.Min.Y+y)).(color.Gray).Y)
			grey[y*w+x] = v
			if x == 0 || y == 0 || x == w-1 || y == h-1 {
				border += v
				edge++
			}
		}
	}
	border /= float64(edge)
	switch inv {
	case "yes":
	case "no", "":
		inv = "no"
	case "auto":
		if border > 127.5 {
			inv = "yes"
		} else {
			inv = "no"
		}
	default:
		return nil, fmt.Errorf("invert %q: want auto, yes or no", inv)
	}
	if inv == "yes" {
		for i, v := range grey {
			grey[i] = 255 - v
		}
		border = 255 - border
	}
	grey, w, h = squared(grey, w, h, border)
	return areaResize(grey, w, h, side), nil
}

// squared pads a w x h image with bg to a centred square, so that scaling
// keeps its proportions.
func squared(src []float64, w, h int, bg float64) ([]float64, int, int) {
	if w == h {
		return src, w, h
	}
	s := max(w, h)
	out := make([]float64, s*s)
	for i := range out {
		out[i] = bg
	}
	ox, oy := (s-w)/2, (s-h)/2
	for y := 0; y < h; y++ {
		copy(out[(oy+y)*s+ox:(oy+y)*s+ox+w], src[y*w:(y+1)*w])
	}
	return out, s, s
}

// areaResize scales a w x h grey image to side x side: each output pixel is
// the mean of the input area it covers (partial pixels weighted by the
// part covered), rounded to a byte.
func areaResize(src []float64, w, h, side int) []uint8 {
	out := make([]uint8, side*side)
	sx, sy := float64(w)/float64(side), float64(h)/float64(side)
	for oy := 0; oy < side; oy++ {
		y0, y1 := float64(oy)*sy, float64(oy+1)*sy
		for ox := 0; ox < side; ox++ {
			x0, x1 := float64(ox)*sx, float64(ox+1)*sx
			var sum, area float64
			for y := int(y0); y < h && float64(y) < y1; y++ {
				fy := math.Min(y1, float64(y+1)) - math.Max(y0, float64(y))
				for x := int(x0); x < w && float64(x) < x1; x++ {
					f := fy * (math.Min(x1, float64(x+1)) - math.Max(x0, float64(x)))
					sum += f * src[y*w+x]
					area += f
				}
			}
			out[oy*side+ox] = uint8(math.Min(255, math.Round(sum/area)))
		}
	}
	return out
}

// Guess is one class and its probability.
type Guess struct {
	Class       int     `json:"class"`
	Name        string  `json:"name"`
	Probability float64 `json:"probability"`
}

// WriteGuesses prints each image's top guesses (at most top of them): a
// line "image: class p%, ..." each, or with asJSON one JSON object per
// image, a line each.
func WriteGuesses(w io.Writer, images []string, guesses [][]Guess, top int, asJSON bool) error {
	for i, g := range guesses {
		g = g[:min(top, len(g))]
		if asJSON {
			if err := json.NewEncoder(w).Encode(struct {
				Image   string  `json:"image"`
				Guesses []Guess `json:"guesses"`
			}{images[i], g}); err != nil {
				return err
			}
			continue
		}
		parts := make([]string, len(g))
		for j, x := range g {
			parts[j] = fmt.Sprintf("%s %.1f%%", x.Name, 100*x.Probability)
		}
		if _, err := fmt.Fprintf(w, "%s: %s\n", images[i], strings.Join(parts, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// Classify runs the model on 28x28 grey images (as LoadImage gives them),
// resized and normalised as the model's job trained, and returns each
// image's classes from the most probable down (softmax of the logits).
func (m *Model) Classify(images [][]uint8) ([][]Guess, error) {
	cfg := m.Net.Config()
	ds := &train.Dataset{Name: "images", Shape: [3]int{1, 28, 28}, Classes: cfg.Classes,
		ClassNames: datasets.ClassNames(m.Job.Dataset, cfg.Classes)}
	for i, img := range images {
		if len(img) != 28*28 {
			return nil, fmt.Errorf("image %d has %d pixels, want 28x28", i, len(img))
		}
		ds.Images = append(ds.Images, img...)
		ds.Labels = append(ds.Labels, 0)
	}
	if n := m.Job.Normalize; n != nil {
		ds.Mean, ds.Std = float32(n.Mean), float32(n.Std)
	}
	d, err := (train.Data{Test: ds}).Fit(cfg.Input)
	if err != nil {
		return nil, err
	}
	ds = d.Test
	k := cfg.Classes
	var out [][]Guess
	for start := 0; start < ds.Len(); start += cfg.Batch {
		var idx []int
		for i := start; i < min(ds.Len(), start+cfg.Batch); i++ {
			idx = append(idx, i)
		}
		ds.Fill(m.Program.Input(), make([]int, cfg.Batch), idx)
		if err := m.Program.Forward(); err != nil {
			return nil, err
		}
		logits := m.Program.Logits()
		for r := range idx {
			out = append(out, softmaxGuesses(logits[r*k:(r+1)*k], ds.ClassNames))
		}
	}
	return out, nil
}

// softmaxGuesses are the classes of one row of logits by probability.
func softmaxGuesses(row []float32, names []string) []Guess {
	hi := math.Inf(-1)
	for _, v := range row {
		hi = math.Max(hi, float64(v))
	}
	var z float64
	gs := make([]Guess, len(row))
	for c, v := range row {
		e := math.Exp(float64(v) - hi)
		z += e
		gs[c] = Guess{Class: c, Name: fmt.Sprint(c), Probability: e}
		if c < len(names) {
			gs[c].Name = names[c]
		}
	}
	for c := range gs {
		gs[c].Probability /= z
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Probability > gs[j].Probability })
	return gs
}
