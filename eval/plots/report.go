package plots

import (
	"bytes"
	"path/filepath"

	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/train"
	"github.com/pkg/errors"
)

// File names of a run's report and plots (each plot also as .svg).
const (
	ReportFile    = "report.md"
	CurvesPlot    = "curves.png"
	ConfusionPlot = "confusion.png"
	CostsPlot     = "costs.png"
)

// WriteRunReport writes into dir the run's plots (learning curves,
// confusion matrix, costs per layer, each as PNG and SVG) and report.md,
// which links them and holds the job, the final accuracy, the per-class
// table and the cost table.
func WriteRunReport(dir string, r eval.Run) error {
	if len(r.Epochs) == 0 || r.Test == nil || r.Summary == nil {
		return errors.New("report: a run report needs its epochs, test score and summary")
	}
	for _, ext := range PlotFormats {
		base := func(png string) string { return filepath.Join(dir, png[:len(png)-4]+ext) }
		if err := PlotCurves(base(CurvesPlot), []Curve{{Label: r.Job.Arch, Epochs: r.Epochs}}); err != nil {
			return err
		}
		if err := PlotConfusion(base(ConfusionPlot), r.Test); err != nil {
			return err
		}
		if err := Summary(base(CostsPlot), r.Summary); err != nil {
			return err
		}
	}
	var b bytes.Buffer
	if err := r.Markdown(&b, eval.RunFiles{Curves: CurvesPlot, Confusion: ConfusionPlot, Costs: CostsPlot}); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ReportFile), &b)
}

// ReadCurve reads the learning curve of the run in dir (its metrics.csv),
// labelled with the run's architecture and folder.
func ReadCurve(dir string) (Curve, error) {
	epochs, err := train.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		return Curve{}, err
	}
	label := filepath.Base(filepath.Clean(dir))
	if job, err := train.ReadJob(dir); err == nil && job.Arch != label {
		label = job.Arch + " (" + label + ")"
	}
	if len(epochs) == 0 {
		return Curve{}, errors.Errorf("run %s: metrics.csv has no finished epoch yet", dir)
	}
	return Curve{Label: label, Epochs: epochs}, nil
}
