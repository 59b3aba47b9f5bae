package plots

import (
	"math"

	"github.com/convnets/convnets/eval"
	"github.com/pkg/errors"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Study plot sizes: two panels side by side.
const (
	StudyWidth  = 11 * vg.Inch
	StudyHeight = 4.5 * vg.Inch
)

// studyPoints are the arms as points (x, mean test accuracy in percent)
// with the standard deviation as error bars.
type studyPoints struct {
	xs, ys, errs []float64
}

func (p studyPoints) Len() int                        { return len(p.xs) }
func (p studyPoints) XY(i int) (float64, float64)     { return p.xs[i], p.ys[i] }
func (p studyPoints) YError(i int) (float64, float64) { return p.errs[i], p.errs[i] }
func (p studyPoints) at(i int) studyPoints {
	return studyPoints{p.xs[i : i+1], p.ys[i : i+1], p.errs[i : i+1]}
}
func (p studyPoints) withX(xs []float64) studyPoints { return studyPoints{xs, p.ys, p.errs} }

// Study draws a study's arms as test accuracy (mean, with the seeds'
// standard deviation as error bars) against MACs per image (left, log
// scale) and against training seconds per run (right), a marker and a
// legend entry per arm.
func Study(path, title string, arms []*eval.Arm) error {
	if len(arms) == 0 {
		return errors.Errorf("plot %s: no arms", path)
	}
	var pts studyPoints
	secs := make([]float64, len(arms))
	for i, a := range arms {
		pts.xs = append(pts.xs, float64(a.MACs))
		pts.ys = append(pts.ys, 100*a.MeanAcc)
		pts.errs = append(pts.errs, 100*a.StdAcc)
		secs[i] = a.MeanSeconds
	}
	byMACs := panel("test accuracy against MACs per image", "MACs per image (log scale)")
	byMACs.X.Scale = plot.LogScale{}
	byMACs.X.Tick.Marker = plot.LogTicks{Prec: -1}
	bySecs := panel("test accuracy against training time", "seconds per run")
	for i, a := range arms {
		for _, p := range []struct {
			plot *plot.Plot
			pts  studyPoints
		}{{byMACs, pts.at(i)}, {bySecs, pts.withX(secs).at(i)}} {
			s, err := plotter.NewScatter(p.pts)
			if err != nil {
				return errors.Wrapf(err, "plot %s", path)
			}
			s.GlyphStyle.Color = plotutil.Color(i)
			s.GlyphStyle.Shape = plotutil.Shape(i)
			s.GlyphStyle.Radius = vg.Points(4)
			e, err := plotter.NewYErrorBars(p.pts)
			if err != nil {
				return errors.Wrapf(err, "plot %s", path)
			}
			e.LineStyle.Color = plotutil.Color(i)
			p.plot.Add(s, e)
			if p.plot == byMACs {
				byMACs.Legend.Add(a.Name, s)
			}
		}
	}
	pad(byMACs, pts.ys, pts.errs)
	pad(bySecs, pts.ys, pts.errs)
	return savePlots(path, title, StudyWidth, StudyHeight, byMACs, bySecs)
}

// StudyCurves draws each arm's validation accuracy after each epoch (the
// mean over its seeds), for the batch-norm study.
func StudyCurves(path, title string, arms []*eval.Arm) error {
	p := panel("validation accuracy after each epoch (mean over seeds)", "epoch")
	p.Y.Label.Text = "validation accuracy %"
	drawn := 0
	for i, a := range arms {
		var xy plotter.XYs
		for e := 0; ; e++ {
			var sum float64
			n := 0
			for _, r := range a.Runs {
				if e < len(r.ValCurve) {
					sum += r.ValCurve[e]
					n++
				}
			}
			if n == 0 {
				break
			}
			xy = append(xy, plotter.XY{X: float64(e + 1), Y: 100 * sum / float64(n)})
		}
		if len(xy) == 0 {
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return errors.Wrapf(err, "plot %s", path)
		}
		l.LineStyle.Color = plotutil.Color(i)
		l.LineStyle.Dashes = plotutil.Dashes(i / 7)
		p.Add(l)
		p.Legend.Add(a.Name, l)
		drawn++
	}
	if drawn == 0 {
		return errors.Errorf("plot %s: no validation curves (the study ran without -val)", path)
	}
	p.Legend.Top = false
	return savePlots(path, title, CurvesWidth, CurvesHeight, p)
}

// panel is an empty plot with a grid, the accuracy axis and the legend at
// the bottom right.
func panel(title, x string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = "test accuracy %"
	p.Add(plotter.NewGrid())
	p.Legend.Top = false
	return p
}

// pad widens the accuracy axis by a point beyond the error bars.
func pad(p *plot.Plot, ys, errs []float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, y := range ys {
		lo, hi = min(lo, y-errs[i]), max(hi, y+errs[i])
	}
	p.Y.Min, p.Y.Max = lo-1, hi+1
}
