package plots

import (
	"encoding/xml"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"gonum.org/v1/plot/vg"
)

// checkPNG decodes path whole and checks its size in pixels.
func checkPNG(t *testing.T, path string, w, h vg.Length) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	wantW, wantH := int(math.Round(w.Dots(DPI))), int(math.Round(h.Dots(DPI)))
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Fatalf("%s: %dx%d pixels, want %dx%d", path, b.Dx(), b.Dy(), wantW, wantH)
	}
}

// checkSVG parses path as XML and checks the root's size in points and
// that something was drawn.
func checkSVG(t *testing.T, path string, w, h vg.Length, texts ...string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var root struct {
		XMLName xml.Name
		Width   string `xml:"width,attr"`
		Height  string `xml:"height,attr"`
	}
	if err := xml.Unmarshal(b, &root); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if root.XMLName.Local != "svg" || root.Width != trimPt(w) || root.Height != trimPt(h) {
		t.Fatalf("%s: <%s width=%q height=%q>, want <svg width=%q height=%q>", path, root.XMLName.Local, root.Width, root.Height, trimPt(w), trimPt(h))
	}
	for _, s := range texts {
		if !strings.Contains(string(b), s) {
			t.Errorf("%s lacks the text %q", path, s)
		}
	}
}

func trimPt(l vg.Length) string { return strconv.FormatFloat(l.Points(), 'g', -1, 64) + "pt" }

func sampleEpochs() []train.EpochStats {
	return []train.EpochStats{
		{Epoch: 1, TrainLoss: 0.24, TrainAcc: 0.924, ValLoss: math.NaN(), ValAcc: math.NaN(), TestLoss: 0.073, TestAcc: 0.9766},
		{Epoch: 2, TrainLoss: 0.07, TrainAcc: 0.978, ValLoss: math.NaN(), ValAcc: math.NaN(), TestLoss: 0.045, TestAcc: 0.985},
		{Epoch: 3, TrainLoss: 0.05, TrainAcc: 0.984, ValLoss: math.NaN(), ValAcc: math.NaN(), TestLoss: 0.035, TestAcc: 0.9891},
	}
}

func TestPlotFiles(t *testing.T) {
	dir := t.TempDir()
	acc, err := eval.Score(&train.Predictions{Pred: []int{0, 1, 2, 2, 1}, Labels: []int{0, 1, 2, 1, 1}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	c := inceptionReport(t)
	for _, ext := range PlotFormats {
		curves := filepath.Join(dir, "curves"+ext)
		if err := PlotCurves(curves, []Curve{{Label: "a", Epochs: sampleEpochs()}, {Label: "b", Epochs: sampleEpochs()[:2]}}); err != nil {
			t.Fatal(err)
		}
		conf := filepath.Join(dir, "confusion"+ext)
		if err := PlotConfusion(conf, acc); err != nil {
			t.Fatal(err)
		}
		costs := filepath.Join(dir, "inception"+ext)
		if err := Comparison(costs, c); err != nil {
			t.Fatal(err)
		}
		if ext == ".png" {
			checkPNG(t, curves, CurvesWidth, CurvesHeight)
			checkPNG(t, conf, ConfusionWidth, ConfusionHeight)
			checkPNG(t, costs, CostsWidth, CostsHeight(len(c.Rows)))
		} else {
			checkSVG(t, curves, CurvesWidth, CurvesHeight, "a train", "b test", "accuracy")
			checkSVG(t, conf, ConfusionWidth, ConfusionHeight, "predicted class", "accuracy 80.00%")
			checkSVG(t, costs, CostsWidth, CostsHeight(len(c.Rows)), "conv3x3", "conv5x5", "963,379,200")
		}
	}
	if err := PlotCurves(filepath.Join(dir, "x.pdf"), []Curve{{Label: "a", Epochs: sampleEpochs()}}); err == nil {
		t.Fatal("a .pdf name was accepted")
	}
	if err := PlotCurves(filepath.Join(dir, "x.png"), []Curve{{Label: "a"}}); err == nil {
		t.Fatal("a run without epochs was drawn")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 6 {
		t.Fatalf("%d files in the folder, want the 6 plots (no temporary left)", len(entries))
	}
}

func TestRunReport(t *testing.T) {
	dir := t.TempDir()
	n, x := graph.New(graph.Config{Input: [3]int{1, 28, 28}, Classes: 3})
	n.Dense("out", n.Flatten("flat", n.Conv("conv", x, 2, graph.K(3))), 3)
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	acc, err := eval.Score(&train.Predictions{Pred: []int{0, 1, 2, 2, 1}, Labels: []int{0, 1, 2, 1, 1}, Loss: 0.3}, 3)
	if err != nil {
		t.Fatal(err)
	}
	job := train.Job{Arch: "tiny", Input: [3]int{1, 28, 28}, Classes: 3, Epochs: 3, Batch: 5, Seed: 7}
	if err := WriteRunReport(dir, eval.Run{Job: job, Epochs: sampleEpochs(), Test: acc, Summary: eval.Summarize("tiny", n)}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# tiny on MNIST", "**Test accuracy 80.00%**", "](curves.png)", "](confusion.png)", "](costs.png)",
		"| 1 | 3 | 2 | 66.67% | 2 (1) |", "| conv | conv | conv | 2x26x26 | 20 |", `"seed": 7`} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, f := range []string{"curves", "confusion", "costs"} {
		checkPNG(t, filepath.Join(dir, f+".png"), map[string]vg.Length{"curves": CurvesWidth, "confusion": ConfusionWidth, "costs": CostsWidth}[f],
			map[string]vg.Length{"curves": CurvesHeight, "confusion": ConfusionHeight, "costs": CostsHeight(2)}[f])
		if _, err := os.Stat(filepath.Join(dir, f+".svg")); err != nil {
			t.Error(err)
		}
	}
}

// inceptionReport is the lecture's Inception cost study.
func inceptionReport(t *testing.T) *eval.Comparison {
	t.Helper()
	var entries []eval.Entry
	for _, b := range arch.InceptionStudy() {
		layers, out, err := b.Ledger(arch.InceptionStudyInput)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, eval.Entry{Name: b.Name, Description: b.Description, OutShape: out, Layers: layers})
	}
	c, err := eval.InceptionReport(arch.InceptionStudyInput, entries)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStudyPlots: the study's charts draw, with the arms' names in them,
// and refuse what they cannot draw.
func TestStudyPlots(t *testing.T) {
	dir := t.TempDir()
	arms := []*eval.Arm{
		{Name: "inception", MACs: 5_000_000, MeanAcc: 0.90, StdAcc: 0.004, MeanSeconds: 600,
			Runs: []eval.SeedRun{{ValCurve: []float64{0.8, 0.85}}, {ValCurve: []float64{0.82, 0.86}}}},
		{Name: "conv3x3", MACs: 15_000_000, MeanAcc: 0.91, StdAcc: 0.002, MeanSeconds: 900,
			Runs: []eval.SeedRun{{ValCurve: []float64{0.81, 0.87}}}},
	}
	svg := filepath.Join(dir, "study.svg")
	if err := Study(svg, "Inception against convolutions", arms); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, svg, StudyWidth, StudyHeight, "inception", "conv3x3", "MACs per image (log scale)", "seconds per run")
	curves := filepath.Join(dir, "curves.svg")
	if err := StudyCurves(curves, "", arms); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, curves, CurvesWidth, CurvesHeight, "validation accuracy after each epoch")
	if err := StudyCurves(curves, "", []*eval.Arm{{Name: "x", Runs: []eval.SeedRun{{}}}}); err == nil {
		t.Fatal("curves without validation drawn")
	}
	if err := Study(svg, "", nil); err == nil {
		t.Fatal("no arms drawn")
	}
}
