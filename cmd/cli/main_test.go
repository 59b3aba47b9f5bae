package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var (
	sample        = filepath.Join("..", "..", "testdata", "mnist")
	fashionSample = filepath.Join("..", "..", "testdata", "fashion-mnist")
)

func convnets(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, nil, &o, &e)
	return o.String(), e.String(), code
}

func TestSummaryJSON(t *testing.T) {
	out, errOut, code := convnets(t, "summary", "-arch", "lenet5", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s struct {
		Arch   string `json:"arch"`
		Params int64  `json:"params"`
		MACs   int64  `json:"macs"`
		NonTr  *int64 `json:"non_trainable"`
		Layers []struct {
			Name     string `json:"name"`
			Kind     string `json:"kind"`
			OutShape []int  `json:"out_shape"`
			Params   *int64 `json:"params"`
			MACs     *int64 `json:"macs"`
		} `json:"layers"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Arch != "lenet5" || s.Params != 61706 || s.MACs != 416520 || s.NonTr == nil || len(s.Layers) == 0 {
		t.Fatalf("got %+v", s)
	}
	for _, l := range s.Layers {
		if l.Name == "" || l.Kind == "" || len(l.OutShape) == 0 || l.Params == nil || l.MACs == nil {
			t.Fatalf("layer %+v lacks a field", l)
		}
	}
}

func TestListAndHelp(t *testing.T) {
	out, _, code := convnets(t, "list")
	if code != 0 || !strings.Contains(out, "lenet5-relu") || !strings.Contains(out, "1x28x28") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	out, _, code = convnets(t, "help")
	if code != 0 || !strings.Contains(out, "summary") {
		t.Fatalf("help: exit %d\n%s", code, out)
	}
	for _, cmd := range []string{"train", "eval", "summary", "compare", "plot", "export", "diagram", "bench", "list"} {
		out, _, code = convnets(t, cmd, "-h")
		if code != 0 || !strings.Contains(out, "Example:") {
			t.Fatalf("%s -h: exit %d\n%s", cmd, code, out)
		}
	}
}

// TestBadInput: every bad input gives one line on stderr and a non-zero
// exit.
func TestBadInput(t *testing.T) {
	earlier := t.TempDir() // an earlier run's directory, whose weights must survive
	if err := os.WriteFile(filepath.Join(earlier, "weights.ckpt"), []byte("weights"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if b, err := os.ReadFile(filepath.Join(earlier, "weights.ckpt")); err != nil || string(b) != "weights" {
			t.Errorf("the earlier run's weights.ckpt: %q, %v", b, err)
		}
	}()
	corrupt := t.TempDir()
	for _, f := range []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"} {
		b, err := os.ReadFile(filepath.Join(sample, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "train-images-idx3-ubyte.gz" {
			b = b[:len(b)/2]
		}
		os.WriteFile(filepath.Join(corrupt, f), b, 0o644)
	}
	noTest := emptyTestSet(t)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, "unknown command"},
		// Settings the optimizer has not are refused, not dropped.
		{[]string{"train", "-momentum", "0.5", "-out", filepath.Join(t.TempDir(), "r")}, 2, "adam has no momentum"},
		{[]string{"train", "-momentum", "NaN"}, 2, "adam has no momentum"},
		{[]string{"train", "-opt", "sgd", "-trust", "0.01"}, 2, "sgd has no trust coefficient"},
		// A test set without images: no accuracy to make up.
		{[]string{"train", "-data", noTest, "-epochs", "1", "-out", filepath.Join(t.TempDir(), "r")}, 1, "no images"},
		// A profile never overwrites a file, in a run directory or not.
		{[]string{"train", "-out", filepath.Join(t.TempDir(), "r"), "-cpuprofile", filepath.Join(earlier, "weights.ckpt")}, 2, "the file exists"},
		{[]string{"train", "-bogus"}, 2, "flag provided but not defined"},
		{[]string{"train", "-epochs", "x"}, 2, "invalid value"},
		{[]string{"train", "-epochs", "0"}, 2, `"epochs" is 0`},
		{[]string{"train", "-opt", "rmsprop"}, 2, "want sgd, lars or adam"},
		{[]string{"train", "-opt", "lars", "-trust", "-1"}, 2, "trust coefficient"},
		{[]string{"train", "-arch", "resnet1000"}, 2, "unknown architecture"},
		{[]string{"train", "-data", filepath.Join(t.TempDir(), "nope")}, 1, "data folder"},
		{[]string{"train", "-data", corrupt, "-out", filepath.Join(t.TempDir(), "r")}, 1, "train-images-idx3-ubyte.gz"},
		{[]string{"summary", "-arch", "lenet5", "-input", "1x8x8"}, 1, "smaller than the kernel"},
		{[]string{"summary", "-input", "28x28"}, 2, "want CxHxW"},
		{[]string{"eval"}, 2, "give -run DIR or -weights FILE"},
		{[]string{"eval", "-weights", filepath.Join(t.TempDir(), "nope.safetensors"), "-arch", "lenet5"}, 1, "nope.safetensors"},
		{[]string{"summary", "-plot", "x.pdf"}, 2, ".png or .svg"},
		{[]string{"eval", "-run", t.TempDir()}, 1, "job.json"},
		{[]string{"train", "-replicas", "3"}, 2, "-replicas 3"},
		{[]string{"train", "-replicas", "0"}, 2, "-replicas 0"},
		// Absurd sizes are refused before anything is allocated or written.
		{[]string{"train", "-shift", "4611686018427387904", "-out", filepath.Join(t.TempDir(), "r")}, 2, `"shift" is 4611686018427387904`},
		{[]string{"train", "-batch", "9223372036854775807", "-out", filepath.Join(t.TempDir(), "r")}, 2, `"batch" is 9223372036854775807`},
		{[]string{"train", "-opt", "sgd", "-momentum", "NaN"}, 2, "momentum NaN"},
		{[]string{"train", "-wd", "Inf"}, 2, "weight decay +Inf"},
		{[]string{"summary", "-arch", "lenet5-relu", "-input", "1x100000x100000"}, 2, "4096 pixels a side"},
		{[]string{"summary", "-arch", "vgg11-mnist", "-width", "1e300"}, 2, "at most 64"},
		{[]string{"train", "-arch", "lenet5", "-width", "2"}, 2, "lenet5 has fixed widths"},
		{[]string{"summary", "-arch", "lenet5-relu", "-classes", "100000000"}, 2, "between 1 and"},
		// Files that never end are refused, not read forever.
		{[]string{"eval", "-weights", "/dev/zero", "-arch", "lenet5"}, 1, "not a regular file"},
		{[]string{"train", "-job", "/dev/zero"}, 1, "not a regular file"},
		{[]string{"train", "-out", earlier, "-cpuprofile", filepath.Join(earlier, "weights.ckpt")}, 1, "is not empty"},
	}
	for _, c := range cases {
		_, errOut, code := convnets(t, c.args...)
		lines := strings.Count(strings.TrimRight(errOut, "\n"), "\n") + 1
		if code != c.code || !strings.Contains(errOut, c.want) || lines != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line saying %q", c.args, code, errOut, c.code, c.want)
		}
	}
	// A refused command line leaves no profile behind.
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	for _, args := range [][]string{
		{"bench", "-steps", "0", "-cpuprofile", prof},
		{"train", "-resume", t.TempDir(), "-epochs", "3", "-cpuprofile", prof},
		{"diagram", "-arch", "lenet5", "-o", filepath.Join(t.TempDir(), "d.txt")},
	} {
		if _, errOut, code := convnets(t, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errOut)
		}
		if _, err := os.Stat(prof); err == nil {
			t.Fatalf("%v: left %s behind", args, prof)
		}
	}
}

// emptyTestSet is a data folder with the sample's training images and a
// test set of none (valid IDX files that hold 0 images).
func emptyTestSet(t *testing.T) string {
	dir := t.TempDir()
	for _, f := range []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"} {
		b, err := os.ReadFile(filepath.Join(sample, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for f, header := range map[string][]byte{
		"t10k-images-idx3-ubyte.gz": {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28},
		"t10k-labels-idx1-ubyte.gz": {0, 0, 8, 1, 0, 0, 0, 0},
	} {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(header)
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, f), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestTrainThenEval trains on the testdata sample and checks that eval -run
// reports the accuracy the last epoch reported.
func TestTrainThenEval(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, errOut, code := convnets(t, "train", "-data", sample, "-epochs", "2", "-batch", "50", "-out", dir, "-quiet")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "epoch 2/2") {
		t.Fatalf("train printed no epoch line:\n%s", out)
	}
	f, err := os.Open(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 3 {
		t.Fatalf("metrics.csv: %d rows, %v", len(rows), err)
	}
	trained, _ := strconv.ParseFloat(rows[2][7], 64)
	out, errOut, code = convnets(t, "eval", "-run", dir, "-json")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errOut)
	}
	var r struct {
		Accuracy float64 `json:"accuracy"`
		Loss     float64 `json:"loss"`
		N        int     `json:"n"`
		Hash     string  `json:"weights_sha256"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.N != 500 || r.Accuracy != trained || len(r.Hash) != 64 || !(r.Loss > 0) {
		t.Fatalf("eval %+v; training reported accuracy %v", r, trained)
	}
	// A second train into the same folder is refused: no run is overwritten.
	if _, errOut, code = convnets(t, "train", "-data", sample, "-epochs", "1", "-out", dir); code != 1 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("rerun into %s: exit %d %s", dir, code, errOut)
	}
}

// TestPresetJob trains an MNIST preset briefly and checks that the job keeps
// the preset's width (the network eval rebuilds must be the one trained)
// and that the sample is enlarged to the preset's input.
func TestPresetJob(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, code := convnets(t, "train", "-arch", "vgg11-mnist", "-data", sample, "-epochs", "1", "-batch", "32",
		"-limit-train", "128", "-limit-test", "64", "-out", dir, "-quiet")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(dir, "job.json"))
	if err != nil {
		t.Fatal(err)
	}
	var job struct {
		Input    [3]int  `json:"input"`
		Width    float64 `json:"width"`
		Replicas int     `json:"replicas"`
	}
	if err := json.Unmarshal(b, &job); err != nil {
		t.Fatal(err)
	}
	if job.Width != 0.125 || job.Input != [3]int{1, 32, 32} || job.Replicas != 2 {
		t.Fatalf("job.json: width %v, input %v, replicas %d; want 0.125, 1x32x32 and 2 (no batch norm)", job.Width, job.Input, job.Replicas)
	}
	if _, errOut, code = convnets(t, "eval", "-run", dir, "-json"); code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errOut)
	}
	if _, errOut, code = convnets(t, "train", "-width", "-1"); code != 2 || !strings.Contains(errOut, "-width") {
		t.Fatalf("negative width: exit %d %s", code, errOut)
	}
}

func TestCompareInceptionJSON(t *testing.T) {
	out, errOut, code := convnets(t, "compare", "inception", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var c struct {
		Rows []struct {
			Name   string `json:"name"`
			Params int64  `json:"params"`
			MACs   int64  `json:"macs"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int64{"inception": {163_328, 128_049_152}, "conv3x3": {442_368, 346_816_512}, "conv5x5": {1_228_800, 963_379_200}}
	for _, r := range c.Rows {
		if w, ok := want[r.Name]; ok {
			if r.Params != w[0] || r.MACs != w[1] {
				t.Errorf("%s: %d, %d; want %d, %d", r.Name, r.Params, r.MACs, w[0], w[1])
			}
			delete(want, r.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("rows missing: %v", want)
	}
	if _, errOut, code = convnets(t, "compare", "inception", "-json", "-md"); code != 2 || !strings.Contains(errOut, "choose one") {
		t.Errorf("two formats: exit %d %s", code, errOut)
	}
	if out, _, code = convnets(t, "compare", "-md", "lenet5", "alexnet-d2l"); code != 0 || !strings.Contains(out, "| alexnet-d2l/conv1 |") {
		t.Errorf("compare lenet5 alexnet-d2l -md: exit %d\n%s", code, out)
	}
}

// TestTimeFlags runs the measured reports with the smallest work: the
// numbers vary, so only their presence is checked.
func TestTimeFlags(t *testing.T) {
	out, errOut, code := convnets(t, "summary", "-arch", "lenet5", "-time", "-batch", "4", "-steps", "1")
	if code != 0 || !strings.Contains(out, "measured:") {
		t.Fatalf("summary -time: exit %d %s\n%s", code, errOut, out)
	}
	out, errOut, code = convnets(t, "summary", "-arch", "lenet5-bn", "-grads", "-batch", "16", "-json")
	var g struct {
		Ratios []struct {
			Param string  `json:"param"`
			Ratio float64 `json:"ratio"`
		} `json:"grad_ratios"`
		Batch int `json:"grad_batch"`
	}
	if err := json.Unmarshal([]byte(out), &g); code != 0 || err != nil {
		t.Fatalf("summary -grads: exit %d %s %v", code, errOut, err)
	}
	if len(g.Ratios) != 5 || g.Batch != 16 || g.Ratios[0].Param != "c1/weight" || !(g.Ratios[0].Ratio > 0) {
		t.Errorf("summary -grads: %+v", g)
	}
	if _, errOut, code = convnets(t, "summary", "-grads", "-batch", "-1"); code != 2 || !strings.Contains(errOut, "-batch") {
		t.Errorf("summary -grads -batch -1: exit %d, %s", code, errOut)
	}
	out, errOut, code = convnets(t, "compare", "inception", "-time", "-time-batch", "1", "-steps", "1", "-json")
	if code != 0 {
		t.Fatalf("compare -time: exit %d %s", code, errOut)
	}
	var c struct {
		Rows []struct {
			Name string  `json:"name"`
			Ms   float64 `json:"ms_per_step"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows[:3] {
		if !(r.Ms > 0) {
			t.Errorf("%s: no time", r.Name)
		}
	}
}

// TestCompareTrain trains the Inception study's three networks on the
// sample, one epoch each, and checks that the report has their results.
func TestCompareTrain(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := convnets(t, "compare", "inception", "-train", "-data", sample, "-epochs", "1", "-batch", "50",
		"-limit-test", "100", "-out", dir, "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var c struct {
		Rows []struct {
			Name   string  `json:"name"`
			Epochs int     `json:"epochs"`
			Acc    float64 `json:"test_accuracy"`
			Params int64   `json:"params"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Rows) != 3 || c.Rows[0].Name != "study-inception" {
		t.Fatalf("rows %+v", c.Rows)
	}
	for _, r := range c.Rows {
		if r.Epochs != 1 || !(r.Acc > 0) || r.Params == 0 {
			t.Errorf("%+v", r)
		}
		if _, err := os.Stat(filepath.Join(dir, r.Name, "weights.ckpt")); err != nil {
			t.Error(err)
		}
	}
}

// TestJobFileStopResume runs a job from a job file that stops after 7
// steps, resumes it, and checks that the weights equal those of the same
// job run without a stop.
func TestJobFileStopResume(t *testing.T) {
	tmp := t.TempDir()
	jobPath := filepath.Join(tmp, "job.json")
	write := func(doc string) {
		if err := os.WriteFile(jobPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs, _ := filepath.Abs(sample)
	doc := `{"arch": "lenet5-bn", "epochs": 2, "batch": 50, "data": "` + abs + `", "limit_test": 100, "seed": 3%s}`
	write(strings.Replace(doc, "%s", "", 1))
	whole := filepath.Join(tmp, "whole")
	if _, errOut, code := convnets(t, "train", "-job", jobPath, "-out", whole, "-quiet"); code != 0 {
		t.Fatalf("train -job: exit %d %s", code, errOut)
	}
	write(strings.Replace(doc, "%s", `, "stop_after": 7`, 1))
	stopped := filepath.Join(tmp, "stopped")
	_, errOut, code := convnets(t, "train", "-job", jobPath, "-out", stopped, "-quiet")
	if code != 130 || !strings.Contains(errOut, "convnets train -resume "+stopped) {
		t.Fatalf("stopped run: exit %d, %s", code, errOut)
	}
	if _, errOut, code = convnets(t, "train", "-resume", stopped, "-quiet"); code != 0 {
		t.Fatalf("resume: exit %d %s", code, errOut)
	}
	hash := func(dir string) string {
		out, errOut, code := convnets(t, "eval", "-run", dir, "-json")
		if code != 0 {
			t.Fatalf("eval %s: %d %s", dir, code, errOut)
		}
		var r struct {
			Hash string `json:"weights_sha256"`
		}
		json.Unmarshal([]byte(out), &r)
		return r.Hash
	}
	if a, b := hash(whole), hash(stopped); a != b || a == "" {
		t.Fatalf("uninterrupted %s, stopped and resumed %s", a, b)
	}
	write(`{"arch": "lenet5", "epoch": 2}`)
	if _, errOut, code = convnets(t, "train", "-job", jobPath, "-out", filepath.Join(tmp, "bad")); code == 0 || !strings.Contains(errOut, `unknown field "epoch"`) {
		t.Fatalf("unknown key: exit %d %s", code, errOut)
	}
	if _, errOut, code = convnets(t, "train", "-resume", stopped, "-epochs", "9"); code != 2 {
		t.Fatalf("-resume with -epochs: exit %d %s", code, errOut)
	}
}

func TestEvalCheckpointFlag(t *testing.T) {
	if _, errOut, code := convnets(t, "eval", "-run", t.TempDir(), "-checkpoint", "middle"); code != 2 || !strings.Contains(errOut, "final, last or best") {
		t.Fatalf("exit %d %s", code, errOut)
	}
}

// TestRunReportExportImport trains on the sample, then checks the run's
// report and plots, redraws the curves, exports safetensors, and evaluates
// the file: same accuracy, loss and weights as the run itself. A file for
// another architecture is refused with the tensor's name.
func TestRunReportExportImport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := convnets(t, "train", "-data", sample, "-epochs", "2", "-batch", "50", "-out", dir, "-quiet"); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# lenet5-relu on the IDX files in " + abs(sample), "](curves.png)", "](confusion.png)", "| class | images | correct |", "61,706"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, f := range []string{"curves.png", "curves.svg", "confusion.png", "confusion.svg", "costs.png", "costs.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", f, err)
		}
	}
	two := filepath.Join(t.TempDir(), "two.svg")
	if out, errOut, code := convnets(t, "plot", "-run", dir, "-run", dir, "-o", two); code != 0 || !strings.Contains(out, "wrote "+two) {
		t.Fatalf("plot: exit %d %s %s", code, out, errOut)
	}
	if _, errOut, code := convnets(t, "plot", "-run", dir, "-run", dir); code != 2 || !strings.Contains(errOut, "-o") {
		t.Fatalf("plot of two runs without -o: exit %d %s", code, errOut)
	}

	model := filepath.Join(t.TempDir(), "lenet.safetensors")
	if out, errOut, code := convnets(t, "export", "-run", dir, "-o", model); code != 0 || !strings.Contains(out, "10 tensors, 61706 values") {
		t.Fatalf("export: exit %d %s %s", code, out, errOut)
	}
	type result struct {
		Accuracy float64 `json:"accuracy"`
		Loss     float64 `json:"loss"`
		N        int     `json:"n"`
		Hash     string  `json:"weights_sha256"`
	}
	var fromRun, fromFile result
	for _, c := range []struct {
		args []string
		r    *result
	}{
		{[]string{"eval", "-run", dir, "-json"}, &fromRun},
		{[]string{"eval", "-weights", model, "-arch", "lenet5-relu", "-data", sample, "-batch", "7", "-json"}, &fromFile},
	} {
		out, errOut, code := convnets(t, c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", c.args, code, errOut)
		}
		if err := json.Unmarshal([]byte(out), c.r); err != nil {
			t.Fatal(err)
		}
	}
	if fromRun.N != 500 || fromFile != fromRun {
		t.Fatalf("eval of the run %+v, of the exported file %+v", fromRun, fromFile)
	}
	if _, errOut, code := convnets(t, "eval", "-weights", model, "-arch", "lenet5-bn", "-data", sample); code != 1 || !strings.Contains(errOut, "no tensor c1.bn.weight") {
		t.Fatalf("lenet5 weights as lenet5-bn: exit %d %s", code, errOut)
	}
	if _, errOut, code := convnets(t, "export", "-run", dir, "-o", "x.bin"); code != 2 || !strings.Contains(errOut, ".safetensors") {
		t.Fatalf("export -o x.bin: exit %d %s", code, errOut)
	}
}

// TestDiagramCommand: a .dot file always; an .svg through Graphviz when
// it is installed, and a clear one-line error when it is not.
func TestDiagramCommand(t *testing.T) {
	dir := t.TempDir()
	dotFile := filepath.Join(dir, "g.dot")
	if _, errOut, code := convnets(t, "diagram", "-arch", "inception-bn", "-o", dotFile); code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	if b, err := os.ReadFile(dotFile); err != nil || !strings.HasPrefix(string(b), `digraph "inception-bn"`) {
		t.Fatalf("%s: %v", dotFile, err)
	}
	svg := filepath.Join(dir, "g.svg")
	if _, err := exec.LookPath("dot"); err == nil {
		if _, errOut, code := convnets(t, "diagram", "-arch", "lenet5", "-o", svg); code != 0 {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if b, err := os.ReadFile(svg); err != nil || !strings.Contains(string(b), "<svg") {
			t.Fatalf("%s is not SVG: %v", svg, err)
		}
	}
	t.Setenv("PATH", dir) // no dot here
	if _, errOut, code := convnets(t, "diagram", "-arch", "lenet5", "-o", filepath.Join(dir, "h.svg")); code != 1 || !strings.Contains(errOut, "apt-get install graphviz") {
		t.Fatalf("without dot: exit %d %q", code, errOut)
	}
	if _, errOut, code := convnets(t, "diagram", "-arch", "lenet5", "-o", "x.pdf"); code != 2 || !strings.Contains(errOut, ".dot, .svg or .png") {
		t.Fatalf("-o x.pdf: exit %d %q", code, errOut)
	}
}

// TestBenchJSON: bench -json prints one object per benchmark with the
// documented fields.
func TestBenchJSON(t *testing.T) {
	out, errOut, code := convnets(t, "bench", "-only", "lenet5-train", "-steps", "2", "-rounds", "2", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if r["name"] != "lenet5-train" || r["batch"] != float64(64) {
		t.Fatalf("got %v", r)
	}
	for _, k := range []string{"images_per_s", "ms_per_step", "gflops", "rss_mb"} {
		if v, ok := r[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, r[k])
		}
	}
	if _, errOut, code := convnets(t, "bench", "-only", "resnet"); code != 2 || !strings.Contains(errOut, "benchmarks are") {
		t.Fatalf("-only resnet: exit %d %s", code, errOut)
	}
	if _, errOut, code := convnets(t, "bench", "-rounds", "0"); code != 2 || !strings.Contains(errOut, "-rounds 0") {
		t.Fatalf("-rounds 0: exit %d %s", code, errOut)
	}
}

// abs is path made absolute (as job.json records a folder given).
func abs(path string) string {
	a, _ := filepath.Abs(path)
	return a
}

// TestBenchMarkdown: bench -md prints a Markdown table with one row per
// benchmark, named and described.
func TestBenchMarkdown(t *testing.T) {
	out, errOut, code := convnets(t, "bench", "-only", "lenet5-train", "-steps", "2", "-md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "| benchmark | batch |") || !strings.HasPrefix(lines[2], "| `lenet5-train`: LeNet-5") {
		t.Fatalf("not the table: %q", out)
	}
}

func TestSavesOnInterrupt(t *testing.T) {
	for args, want := range map[string]bool{
		"train": true, "train -arch lenet5": true, "summary -time": false, "compare inception": false,
		"compare inception -train": true, "compare inception --train": true, "compare inception -train=true": true,
		"compare inception -train=false": false, "compare inception --train=0": false, "": false,
	} {
		if got := savesOnInterrupt(strings.Fields(args)); got != want {
			t.Errorf("%q: %v, want %v", args, got, want)
		}
	}
}
