package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/convnets/convnets/train"
	"github.com/pkg/errors"
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

// RunFiles are the plots a run report links to.
type RunFiles struct{ Curves, Confusion, Costs string }

// Markdown writes the run's report.md into b, linking the plots in files:
// the job, the final accuracy, the learning curves as a table, the
// per-class table and the cost table.
func (r Run) Markdown(b *bytes.Buffer, files RunFiles) error {
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
	fmt.Fprintf(b, "## Learning curves\n\n![loss and accuracy against epoch](%s)\n\n", files.Curves)
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
	fmt.Fprintf(b, "\n## Test set, per class\n\n![confusion matrix](%s)\n\n", files.Confusion)
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
	fmt.Fprintf(b, "\n## Cost\n\n![parameters and MACs per layer](%s)\n\n", files.Costs)
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
