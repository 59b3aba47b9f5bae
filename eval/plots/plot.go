package plots

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/convnets/convnets/train/weights"
	"github.com/pkg/errors"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution of PNG plots: a plot w inches wide is w*DPI pixels.
const DPI = 96

// PlotFormats are the file extensions the plot functions write.
var PlotFormats = []string{".png", ".svg"}

// CheckName refuses a plot file name that ends in none of PlotFormats
// ("" passes: no plot).
func CheckName(name string) error {
	if name == "" || slices.Contains(PlotFormats, strings.ToLower(filepath.Ext(name))) {
		return nil
	}
	return fmt.Errorf("%q: want a file name ending in .png or .svg", name)
}

// savePlots draws plots side by side on one canvas of w x h, under title
// when it is not empty, and writes it to path, as PNG or SVG by its
// extension. The file is written whole or not at all.
func savePlots(path, title string, w, h vg.Length, plots ...*plot.Plot) (err error) {
	ext := strings.ToLower(filepath.Ext(path))
	var canvas vg.CanvasWriterTo
	switch ext {
	case ".png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	case ".svg":
		canvas = vgsvg.New(w, h)
	default:
		return errors.Errorf("plot %s: want a .png or .svg file name", path)
	}
	defer func() { // gonum/plot panics on some degenerate data; report it as an error
		if r := recover(); r != nil {
			err = errors.Errorf("plot %s: %v", path, r)
		}
	}()
	dc := draw.New(canvas)
	if title != "" {
		style := plot.New().Title.TextStyle
		style.YAlign = draw.YTop
		dc.FillText(style, vg.Point{X: dc.Center().X, Y: dc.Max.Y - vg.Millimeter*2}, title)
		dc = draw.Crop(dc, 0, 0, 0, -style.Height(title)-vg.Millimeter*4)
	}
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Centimeter, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	cells := plot.Align([][]*plot.Plot{plots}, tiles, dc)
	for i, p := range plots {
		p.Draw(cells[0][i])
	}
	return writeAtomic(path, canvas)
}

// writeAtomic writes what src writes to path, all or nothing.
func writeAtomic(path string, src io.WriterTo) error {
	var b bytes.Buffer
	if _, err := src.WriteTo(&b); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return weights.WriteFileAtomic(path, b.Bytes())
}
