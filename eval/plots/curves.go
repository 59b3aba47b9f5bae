package plots

import (
	"image/color"
	"path/filepath"
	"strings"

	"github.com/convnets/convnets/train"
	"github.com/pkg/errors"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Curve is one run's learning curve: its metrics.csv rows.
type Curve struct {
	Label  string
	Epochs []train.EpochStats
}

// Curves sizes: two panels side by side.
const (
	CurvesWidth  = 10 * vg.Inch
	CurvesHeight = 4 * vg.Inch
)

// PlotCurves draws loss (left) and accuracy (right) against epoch for one
// run or several: training as solid lines, test as dashed ones, validation
// (where a run has it) dotted. path ends in .png or .svg.
func PlotCurves(path string, curves []Curve) error {
	if len(curves) == 0 {
		return errors.Errorf("plot %s: no runs", path)
	}
	loss := plot.New()
	loss.Title.Text = "loss"
	loss.X.Label.Text = "epoch"
	loss.Y.Label.Text = "cross-entropy"
	acc := plot.New()
	acc.Title.Text = "accuracy"
	acc.X.Label.Text = "epoch"
	acc.Y.Label.Text = "%"
	for _, p := range []*plot.Plot{loss, acc} {
		p.Legend.Top = true
		p.Add(plotter.NewGrid())
	}
	acc.Legend.Top = false // accuracy rises to the top right
	for i, c := range curves {
		if len(c.Epochs) == 0 {
			return errors.Errorf("plot %s: run %s has no finished epoch", path, c.Label)
		}
		col := plotutil.Color(i)
		prefix := ""
		if len(curves) > 1 {
			prefix = c.Label + " "
		}
		series := []struct {
			name   string
			dashes []vg.Length
			loss   func(train.EpochStats) float64
			acc    func(train.EpochStats) float64
		}{
			{"train", nil, func(s train.EpochStats) float64 { return s.TrainLoss }, func(s train.EpochStats) float64 { return s.TrainAcc }},
			{"test", []vg.Length{vg.Points(6), vg.Points(3)}, func(s train.EpochStats) float64 { return s.TestLoss }, func(s train.EpochStats) float64 { return s.TestAcc }},
			{"val", []vg.Length{vg.Points(1), vg.Points(3)}, func(s train.EpochStats) float64 { return s.ValLoss }, func(s train.EpochStats) float64 { return s.ValAcc }},
		}
		for _, se := range series {
			if se.acc(c.Epochs[0]) != se.acc(c.Epochs[0]) { // NaN: no validation split
				continue
			}
			for j, p := range []*plot.Plot{loss, acc} {
				pts := make(plotter.XYs, len(c.Epochs))
				for k, s := range c.Epochs {
					pts[k].X = float64(s.Epoch)
					if j == 0 {
						pts[k].Y = se.loss(s)
					} else {
						pts[k].Y = 100 * se.acc(s)
					}
				}
				if err := addLine(p, pts, col, se.dashes, prefix+se.name); err != nil {
					return errors.Wrapf(err, "plot %s", path)
				}
			}
		}
	}
	return savePlots(path, "", CurvesWidth, CurvesHeight, loss, acc)
}

// addLine adds a line with points and a legend entry.
func addLine(p *plot.Plot, pts plotter.XYs, col color.Color, dashes []vg.Length, name string) error {
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return err
	}
	l.Color, l.Dashes, l.Width = col, dashes, vg.Points(1.5)
	s.Color, s.Radius = col, vg.Points(2)
	p.Add(l, s)
	p.Legend.Add(name, l)
	return nil
}

// PlotRuns draws the learning curves of the run directories dirs into out
// (.png or .svg), or with out empty and one run, into that run's
// curves.png and curves.svg. It returns the files it wrote.
func PlotRuns(dirs []string, out string) ([]string, error) {
	var files []string
	switch {
	case out != "":
		files = []string{out}
	case len(dirs) == 1:
		for _, ext := range PlotFormats {
			files = append(files, filepath.Join(dirs[0], strings.TrimSuffix(CurvesPlot, ".png")+ext))
		}
	default:
		return nil, errors.New("several runs need one output file")
	}
	var curves []Curve
	for _, d := range dirs {
		c, err := ReadCurve(d)
		if err != nil {
			return nil, err
		}
		curves = append(curves, c)
	}
	for i, f := range files {
		if err := PlotCurves(f, curves); err != nil {
			return files[:i], err
		}
	}
	return files, nil
}
