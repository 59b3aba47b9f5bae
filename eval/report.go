package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"

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

// Run is what a run's report shows.
type Run struct {
	Job     train.Job
	Epochs  []train.EpochStats
	Test    *Accuracy // the final weights' score on the test set
	Summary *Summary
	// DatasetTitle names the data in the title (empty: MNIST).
	DatasetTitle string
}

// WriteRunReport writes into dir the run's plots (learning curves,
// confusion matrix, costs per layer, each as PNG and SVG) and report.md,
// which links them and holds the job, the final accuracy, the per-class
// table and the cost table.
func WriteRunReport(dir string, r Run) error {
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
		if err := r.Summary.Plot(base(CostsPlot)); err != nil {
			return err
		}
	}
	var b bytes.Buffer
	if err := r.markdown(&b); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ReportFile), &b)
}

func (r Run) markdown(b *bytes.Buffer) error {
	last := r.Epochs[len(r.Epochs)-1]
	fmt.Fprintf(b, "# %s on %s\n\n", r.Job.Arch, r.datasetTitle())
	fmt.Fprintf(b, "**Test accuracy %.2f%%** (loss %.4f, %d images) after %d epochs", 100*r.Test.Accuracy, r.Test.Loss, r.Test.N, last.Epoch)
	if !math.IsNaN(last.ValAcc) {
		fmt.Fprintf(b, "; validation accuracy %.2f%% on %d held-out training images", 100*last.ValAcc, r.Job.Val)
	}
	var secs float64
	for _, e := range r.Epochs {
		secs += e.Seconds
	}
	fmt.Fprintf(b, ". %s trainable parameters, %s MACs per image; %.0f s of training and evaluation in all.\n\n",
		Group(r.Summary.Params), Group(r.Summary.MACs), secs)
	fmt.Fprintf(b, "## Learning curves\n\n![loss and accuracy against epoch](%s)\n\n", CurvesPlot)
	t := table{}
	t.add("epoch", "train loss", "train acc", "val acc", "test loss", "test acc", "lr", "s", "img/s")
	for _, e := range r.Epochs {
		val := "–"
		if !math.IsNaN(e.ValAcc) {
			val = pct(e.ValAcc)
		}
		t.add(fmt.Sprint(e.Epoch), fmt.Sprintf("%.4f", e.TrainLoss), pct(e.TrainAcc), val, fmt.Sprintf("%.4f", e.TestLoss), pct(e.TestAcc),
			fmt.Sprintf("%.3g", e.LR), fmt.Sprintf("%.1f", e.Seconds), fmt.Sprintf("%.0f", e.ImagesSec))
	}
	if err := t.write(b, "md"); err != nil {
		return err
	}
	fmt.Fprintf(b, "\n## Test set, per class\n\n![confusion matrix](%s)\n\n", ConfusionPlot)
	pc := table{left: 1}
	pc.add("class", "images", "correct", "accuracy", "most confused with")
	for c, row := range r.Test.Confusion {
		total, worst := 0, -1
		for p, v := range row {
			total += v
			if p != c && v > 0 && (worst < 0 || v > row[worst]) {
				worst = p
			}
		}
		confused := "–"
		if worst >= 0 {
			confused = fmt.Sprintf("%s (%d)", r.Test.ClassName(worst), row[worst])
		}
		pc.add(r.Test.ClassName(c), fmt.Sprint(total), fmt.Sprint(row[c]), pct(r.Test.PerClass[c]), confused)
	}
	if err := pc.write(b, "md"); err != nil {
		return err
	}
	fmt.Fprintf(b, "\n## Cost\n\n![parameters and MACs per layer](%s)\n\n", CostsPlot)
	if err := r.Summary.Write(b, "md"); err != nil {
		return err
	}
	job, err := json.MarshalIndent(r.Job, "", "  ")
	if err != nil {
		return errors.Wrap(err, "report")
	}
	fmt.Fprintf(b, "\n## Job\n\nRerun with `convnets train -job job.json`:\n\n```json\n%s\n```\n", job)
	return nil
}

// datasetTitle is the dataset's name as the report's title gives it.
func (r Run) datasetTitle() string {
	if r.DatasetTitle != "" {
		return r.DatasetTitle
	}
	return "MNIST"
}

func pct(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }

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
