//go:build ignore

// gen draws the test images of `convnets predict`: digits and pieces of
// clothing made outside the datasets, as a script's strokes and shapes, at
// other sizes and colours, on light and dark paper.
//
//	go run testdata/images/gen.go
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

type pt struct{ x, y float64 }

// bezier samples the quadratic Bézier curve a, b, c.
func bezier(a, b, c pt) []pt {
	var out []pt
	for i := 0; i <= 16; i++ {
		t := float64(i) / 16
		u := 1 - t
		out = append(out, pt{u*u*a.x + 2*u*t*b.x + t*t*c.x, u*u*a.y + 2*u*t*b.y + t*t*c.y})
	}
	return out
}

// ellipse samples an ellipse around c.
func ellipse(c pt, rx, ry float64) []pt {
	var out []pt
	for i := 0; i <= 32; i++ {
		a := 2 * math.Pi * float64(i) / 32
		out = append(out, pt{c.x + rx*math.Cos(a), c.y + ry*math.Sin(a)})
	}
	return out
}

func line(ps ...pt) []pt { return ps }

// digits are polylines in a unit box, each digit a few strokes, written as
// a hand would.
var digits = [10][][]pt{
	{ellipse(pt{0.5, 0.5}, 0.27, 0.4)},
	{line(pt{0.36, 0.24}, pt{0.52, 0.1}, pt{0.52, 0.9})},
	{append(bezier(pt{0.24, 0.3}, pt{0.45, -0.05}, pt{0.72, 0.28}), line(pt{0.72, 0.28}, pt{0.25, 0.88}, pt{0.8, 0.88})...)},
	{append(bezier(pt{0.26, 0.18}, pt{0.8, 0.05}, pt{0.48, 0.47}), bezier(pt{0.48, 0.47}, pt{0.95, 0.75}, pt{0.25, 0.86})...)},
	{line(pt{0.62, 0.9}, pt{0.62, 0.1}, pt{0.2, 0.64}, pt{0.82, 0.64})},
	{append(line(pt{0.74, 0.12}, pt{0.33, 0.12}, pt{0.3, 0.46}), bezier(pt{0.3, 0.46}, pt{0.95, 0.38}, pt{0.27, 0.87})...)},
	{append(bezier(pt{0.7, 0.1}, pt{0.28, 0.25}, pt{0.3, 0.68}), ellipse(pt{0.5, 0.68}, 0.2, 0.2)...)},
	{line(pt{0.24, 0.12}, pt{0.8, 0.12}, pt{0.42, 0.9})},
	{ellipse(pt{0.5, 0.29}, 0.19, 0.18), ellipse(pt{0.5, 0.68}, 0.23, 0.22)},
	{ellipse(pt{0.48, 0.31}, 0.21, 0.2), line(pt{0.69, 0.33}, pt{0.64, 0.9})},
}

// style is a canvas: size, ink and paper.
type style struct {
	name       string
	w, h       int
	ink, paper color.RGBA
	pen        float64 // thickness, a fraction of the digit's height
}

var styles = []style{
	{"blue-on-white", 96, 96, color.RGBA{20, 40, 160, 255}, color.RGBA{250, 250, 245, 255}, 0.11},
	{"chalk-on-black", 200, 150, color.RGBA{235, 235, 235, 255}, color.RGBA{15, 25, 20, 255}, 0.12},
	{"pencil-on-yellow", 28, 28, color.RGBA{60, 60, 60, 255}, color.RGBA{250, 240, 170, 255}, 0.12},
}

// draw renders the strokes into the canvas, the unit box scaled to 70% of
// its height and centred, with anti-aliased edges.
func draw(st style, strokes [][]pt) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, st.w, st.h))
	size := 0.7 * float64(min(st.w, st.h))
	ox, oy := (float64(st.w)-0.8*size)/2-0.1*size, (float64(st.h)-size)/2
	half := st.pen * size / 2
	for y := 0; y < st.h; y++ {
		for x := 0; x < st.w; x++ {
			p := pt{(float64(x) + 0.5 - ox) / size, (float64(y) + 0.5 - oy) / size}
			d := math.Inf(1)
			for _, s := range strokes {
				for i := 1; i < len(s); i++ {
					d = math.Min(d, segDist(p, s[i-1], s[i]))
				}
			}
			cover := math.Max(0, math.Min(1, half-d*size+0.5))
			img.Set(x, y, mix(st.paper, st.ink, cover))
		}
	}
	return img
}

func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
	}
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	m := func(u, v uint8) uint8 { return uint8(math.Round(float64(u)*(1-t) + float64(v)*t)) }
	return color.RGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 255}
}

// clothes are filled outlines in a unit box, by Fashion-MNIST class.
var clothes = map[string][][]pt{
	"0-tshirt": {{{0.3, 0.08}, {0.42, 0.12}, {0.58, 0.12}, {0.7, 0.08}, {0.95, 0.25}, {0.85, 0.42}, {0.75, 0.36},
		{0.75, 0.95}, {0.25, 0.95}, {0.25, 0.36}, {0.15, 0.42}, {0.05, 0.25}}},
	"1-trouser": {{{0.3, 0.04}, {0.7, 0.04}, {0.74, 0.96}, {0.56, 0.96}, {0.5, 0.3}, {0.44, 0.96}, {0.26, 0.96}}},
	"3-dress":   {{{0.4, 0.04}, {0.6, 0.04}, {0.62, 0.3}, {0.8, 0.96}, {0.2, 0.96}, {0.38, 0.3}}},
	"5-sandal": {{{0.05, 0.62}, {0.95, 0.62}, {0.95, 0.7}, {0.05, 0.7}}, {{0.15, 0.62}, {0.3, 0.4}, {0.35, 0.42}, {0.22, 0.62}},
		{{0.45, 0.62}, {0.55, 0.38}, {0.6, 0.4}, {0.52, 0.62}}, {{0.7, 0.62}, {0.8, 0.35}, {0.85, 0.37}, {0.77, 0.62}}},
	"7-sneaker": {{{0.04, 0.52}, {0.25, 0.42}, {0.45, 0.36}, {0.6, 0.24}, {0.82, 0.2}, {0.96, 0.24}, {0.96, 0.76}, {0.04, 0.76}}},
	"8-bag": {{{0.12, 0.35}, {0.88, 0.35}, {0.9, 0.92}, {0.1, 0.92}}, {{0.3, 0.35}, {0.35, 0.1}, {0.65, 0.1}, {0.7, 0.35},
		{0.62, 0.35}, {0.6, 0.17}, {0.4, 0.17}, {0.38, 0.35}}},
	"9-boot": {{{0.04, 0.66}, {0.3, 0.55}, {0.55, 0.45}, {0.6, 0.15}, {0.94, 0.15}, {0.96, 0.78}, {0.04, 0.8}}},
}

// inside says whether p is inside the polygon.
func inside(p pt, poly []pt) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// fill renders filled shapes, the unit box scaled to 85% of the canvas
// and centred, 4x4 samples per pixel, the cloth shaded from top to bottom.
func fill(w, h int, cloth, paper color.RGBA, shapes [][]pt) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	size := 0.85 * float64(min(w, h))
	ox, oy := (float64(w)-size)/2, (float64(h)-size)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			hits := 0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					p := pt{(float64(x) + (float64(sx)+0.5)/4 - ox) / size, (float64(y) + (float64(sy)+0.5)/4 - oy) / size}
					for _, s := range shapes {
						if inside(p, s) {
							hits++
							break
						}
					}
				}
			}
			shade := mix(cloth, color.RGBA{cloth.R / 2, cloth.G / 2, cloth.B / 2, 255}, 0.4*float64(y)/float64(h))
			img.Set(x, y, mix(paper, shade, float64(hits)/16))
		}
	}
	return img
}

func save(name string, img image.Image) {
	f, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		panic(err)
	}
}

func main() {
	for name, shapes := range clothes {
		dir := filepath.Join("testdata", "images")
		save(filepath.Join(dir, "fashion-"+name+"-light-on-black.png"), fill(84, 84, color.RGBA{210, 200, 190, 255}, color.RGBA{0, 0, 0, 255}, shapes))
		save(filepath.Join(dir, "fashion-"+name+"-red-on-white.png"), fill(128, 128, color.RGBA{170, 30, 40, 255}, color.RGBA{255, 255, 255, 255}, shapes))
	}
	dir := filepath.Join("testdata", "images")
	for d, strokes := range digits {
		for i, st := range styles {
			img := draw(st, strokes)
			name := filepath.Join(dir, fmt.Sprintf("digit-%d-%s.png", d, st.name))
			if i == 1 { // one style as JPEG
				name = name[:len(name)-4] + ".jpg"
			}
			f, err := os.Create(name)
			if err != nil {
				panic(err)
			}
			if i == 1 {
				err = jpeg.Encode(f, img, &jpeg.Options{Quality: 90})
			} else {
				err = png.Encode(f, img)
			}
			if err != nil {
				panic(err)
			}
			f.Close()
		}
	}
}
