package plots

import (
	"github.com/convnets/convnets/eval"
	"github.com/pkg/errors"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// CostsWidth is the width of a cost chart; its height grows with the rows.
const CostsWidth = 10 * vg.Inch

// CostsHeight is the height of a cost chart of n rows.
func CostsHeight(n int) vg.Length { return 2*vg.Inch + vg.Length(n)*vg.Points(18) }

// PlotCosts draws two horizontal bar charts side by side: trainable
// parameters (left) and MACs (right) of each row, in millions, each bar
// labelled with its exact count. The first row is at the top. path ends in .png
// or .svg.
func PlotCosts(path, title string, rows []eval.CostRow) error {
	if len(rows) == 0 {
		return errors.Errorf("plot %s: no rows", path)
	}
	names := make([]string, len(rows))
	params := make(plotter.Values, len(rows))
	macs := make(plotter.Values, len(rows))
	exact := [2][]int64{make([]int64, len(rows)), make([]int64, len(rows))}
	for i, r := range rows {
		j := len(rows) - 1 - i // bars go bottom-up
		names[j] = r.Name
		params[j] = float64(r.Params) / 1e6
		macs[j] = float64(r.MACs) / 1e6
		exact[0][j], exact[1][j] = r.Params, r.MACs
	}
	var plots []*plot.Plot
	for i, panel := range []struct {
		title string
		vals  plotter.Values
	}{{"trainable parameters (millions)", params}, {"MACs per image (millions)", macs}} {
		p := plot.New()
		p.Title.Text = panel.title
		bars, err := plotter.NewBarChart(panel.vals, vg.Points(12))
		if err != nil {
			return errors.Wrapf(err, "plot %s", path)
		}
		bars.Horizontal = true
		bars.Color = plotutil.Color(i)
		bars.LineStyle.Width = 0
		p.Add(plotter.NewGrid(), bars)
		var labels plotter.XYLabels
		for j, v := range panel.vals {
			labels.XYs = append(labels.XYs, plotter.XY{X: v, Y: float64(j)})
			labels.Labels = append(labels.Labels, eval.Group(exact[i][j]))
		}
		l, err := plotter.NewLabels(labels)
		if err != nil {
			return errors.Wrapf(err, "plot %s", path)
		}
		for k := range l.TextStyle {
			l.TextStyle[k].Font.Size = vg.Points(8)
			l.TextStyle[k].YAlign = -0.5
			l.Offset.X = vg.Points(3)
		}
		p.Add(l)
		p.NominalY(names...)
		p.X.Min = 0
		p.X.Max *= 1.2 // room for the labels
		plots = append(plots, p)
	}
	return savePlots(path, title, CostsWidth, CostsHeight(len(rows)), plots...)
}

// Comparison draws the comparison's rows with PlotCosts.
func Comparison(path string, c *eval.Comparison) error { return PlotCosts(path, c.Title, c.Rows) }

// Summary draws the summary's PlotRows(40) with PlotCosts.
func Summary(path string, s *eval.Summary) error {
	return PlotCosts(path, s.Arch, s.PlotRows(40))
}
