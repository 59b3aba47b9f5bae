package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/convnets/convnets/eval"
	"github.com/pkg/errors"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Confusion plot size.
const (
	ConfusionWidth  = 6 * vg.Inch
	ConfusionHeight = 6 * vg.Inch
)

// confusionGrid shows row-normalised counts: each true class's row sums to
// one, so rare and common classes read alike.
type confusionGrid struct {
	m [][]int
}

func (g confusionGrid) Dims() (c, r int) { return len(g.m), len(g.m) }
func (g confusionGrid) X(c int) float64  { return float64(c) }
func (g confusionGrid) Y(r int) float64  { return float64(r) }
func (g confusionGrid) Z(c, r int) float64 {
	row := g.m[len(g.m)-1-r] // class 0 on top
	total := 0
	for _, v := range row {
		total += v
	}
	if total == 0 {
		return 0
	}
	return float64(row[c]) / float64(total)
}

// PlotConfusion draws the confusion matrix (rows: true class, columns:
// predicted) as a heat map of each row's fractions, with the counts
// written in the cells. path ends in .png or .svg.
func PlotConfusion(path string, a *eval.Accuracy) error {
	k := len(a.Confusion)
	if k == 0 {
		return errors.Errorf("plot %s: empty confusion matrix", path)
	}
	for _, row := range a.Confusion {
		if len(row) != k {
			return errors.Errorf("plot %s: confusion matrix is not square", path)
		}
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("confusion on %d images: accuracy %.2f%%", a.N, 100*a.Accuracy)
	p.X.Label.Text = "predicted class"
	p.Y.Label.Text = "true class"
	pal := palette.Heat(64, 1)
	colors := pal.Colors()
	for i, j := 0, len(colors)-1; i < j; i, j = i+1, j-1 { // white for 0, dark for 1
		colors[i], colors[j] = colors[j], colors[i]
	}
	hm := plotter.NewHeatMap(confusionGrid{a.Confusion}, reversed(colors))
	hm.Min, hm.Max = 0, 1
	p.Add(hm)
	var labels plotter.XYLabels
	for t, row := range a.Confusion {
		for c, v := range row {
			if v == 0 {
				continue
			}
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(c), Y: float64(k - 1 - t)})
			labels.Labels = append(labels.Labels, fmt.Sprint(v))
		}
	}
	if len(labels.XYs) > 0 {
		l, err := plotter.NewLabels(labels)
		if err != nil {
			return errors.Wrapf(err, "plot %s", path)
		}
		for i := range l.TextStyle {
			l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = -0.5, -0.5
			l.TextStyle[i].Font.Size = vg.Points(7)
			l.TextStyle[i].Color = color.Black
		}
		p.Add(l)
	}
	names := make([]string, k)
	long := false
	for i := range names {
		names[i] = a.ClassName(i)
		long = long || len(names[i]) > 2
	}
	p.NominalX(names...)
	if long {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YTop
	}
	rev := make([]string, k)
	for i := range rev {
		rev[i] = names[k-1-i]
	}
	p.NominalY(rev...)
	return savePlots(path, "", ConfusionWidth, ConfusionHeight, p)
}

// reversed is a palette of the given colours.
type reversed []color.Color

func (r reversed) Colors() []color.Color { return r }
