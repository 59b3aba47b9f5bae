package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convnets/convnets/train"
)

// TestLeaderboard tabulates a finished Fashion-MNIST run: costs from the
// graph, accuracy and time from metrics.csv, d2l's figure for the family,
// and a command that repeats the run.
func TestLeaderboard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := convnets(t, "train", "-dataset", "fashion-mnist", "-data", fashionSample, "-epochs", "2", "-batch", "50",
		"-limit-test", "100", "-seed", "4", "-out", dir, "-quiet"); code != 0 {
		t.Fatalf("train: exit %d %s", code, errOut)
	}
	out, errOut, code := convnets(t, "leaderboard", "-run", dir, "-json")
	if code != 0 {
		t.Fatalf("leaderboard: exit %d %s", code, errOut)
	}
	var lb struct {
		Rows []struct {
			Arch    string  `json:"arch"`
			Params  int64   `json:"params"`
			MACs    int64   `json:"macs"`
			Epochs  int     `json:"epochs"`
			Seconds float64 `json:"seconds"`
			Acc     float64 `json:"test_accuracy"`
			Command string  `json:"command"`
			Recipe  string  `json:"recipe"`
			Margin  float64 `json:"margin"`
			D2L     struct {
				Printed [2]float64 `json:"printed"`
			} `json:"d2l"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &lb); err != nil {
		t.Fatal(err)
	}
	epochs, err := train.ReadMetrics(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := lb.Rows[0]
	secs := epochs[0].Seconds + epochs[1].Seconds
	if r.Arch != "lenet5-relu" || r.Params != 61706 || r.MACs != 416520 || r.Epochs != 2 || r.Acc != epochs[1].TestAcc ||
		math.Abs(r.Seconds-secs) > 1e-9 {
		t.Fatalf("row %+v; metrics %+v", r, epochs)
	}
	if best := max(r.D2L.Printed[0], r.D2L.Printed[1]); best != 0.809 || math.Abs(r.Margin-(r.Acc-best)) > 1e-12 {
		t.Fatalf("d2l %v, margin %v", r.D2L.Printed, r.Margin)
	}
	abs, _ := filepath.Abs(fashionSample)
	for _, want := range []string{"-arch lenet5-relu", "-dataset fashion-mnist", "-data " + abs, "-epochs 2", "-batch 50", "-seed 4", "-limit-test 100"} {
		if !strings.Contains(r.Command, want) {
			t.Fatalf("command %q lacks %q", r.Command, want)
		}
	}
	md, _, code := convnets(t, "leaderboard", "-run", dir, "-md", "-title", "Fashion-MNIST")
	if code != 0 || !strings.Contains(md, "| lenet5-relu |") || !strings.Contains(md, "LeNet 6.6: 77.6% / 80.9%") || !strings.Contains(md, r.Command) {
		t.Fatalf("markdown:\n%s", md)
	}
	// The JSON renders again, unchanged, without the runs.
	board := filepath.Join(t.TempDir(), "board.json")
	if _, errOut, code := convnets(t, "leaderboard", "-run", dir, "-json", "-o", board); code != 0 {
		t.Fatalf("-o: exit %d %s", code, errOut)
	}
	again, _, code := convnets(t, "leaderboard", "-from", board, "-md", "-title", "Fashion-MNIST")
	if code != 0 || again != md {
		t.Fatalf("-from gives\n%s\nwant\n%s", again, md)
	}
	// An unfinished run is refused, naming the command that finishes it.
	os.Remove(filepath.Join(dir, train.WeightsFile))
	if _, errOut, code = convnets(t, "leaderboard", "-run", dir); code != 1 || !strings.Contains(errOut, "-resume") {
		t.Fatalf("unfinished run: exit %d %s", code, errOut)
	}
	if _, errOut, code = convnets(t, "leaderboard"); code != 2 {
		t.Fatalf("no -run: exit %d %s", code, errOut)
	}
}

// TestTrainCommandRoundTrip: the command a leaderboard prints for a
// preset's recipe run is the bare preset and dataset.
func TestTrainCommandRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := convnets(t, "train", "-arch", "lenet5-bn", "-dataset", "mnist", "-limit-train", "200", "-limit-test", "50",
		"-epochs", "1", "-out", dir, "-quiet"); code != 0 {
		t.Fatalf("train: exit %d %s", code, errOut)
	}
	out, errOut, code := convnets(t, "leaderboard", "-run", dir, "-json")
	if code != 0 {
		t.Fatalf("leaderboard: exit %d %s", code, errOut)
	}
	want := "go run ./cmd/convnets train -arch lenet5-bn -epochs 1 -limit-train 200 -limit-test 50"
	if !strings.Contains(out, `"command": "`+want+`"`) {
		t.Fatalf("want command %q in\n%s", want, out)
	}
}

// TestCommandRepeatsJob: the command a leaderboard prints for a run makes
// the same job.json, byte for byte, whatever the run changed from its
// recipe.
func TestCommandRepeatsJob(t *testing.T) {
	for _, extra := range [][]string{
		nil,
		{"-flip=false", "-crop-pad", "3", "-opt", "sgd", "-lr", "0.01", "-wd", "0.0005"},
		{"-normalize", "-shift", "2", "-replicas", "1", "-schedule", "step", "-val", "100"},
		{"-opt", "sgd", "-momentum", "0", "-lr", "0.02"},
		{"-opt", "lars", "-trust", "0.002", "-warmup", "1"},
		{"-arch", "vgg11-mnist"},                    // the recipe's width
		{"-arch", "vgg11-mnist", "-width", "0.125"}, // the preset's own
	} {
		dir := filepath.Join(t.TempDir(), "run")
		args := append([]string{"train", "-dataset", "fashion-mnist", "-data", fashionSample, "-epochs", "1", "-batch", "50",
			"-limit-test", "100", "-out", dir, "-quiet"}, extra...)
		if _, errOut, code := convnets(t, args...); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		out, errOut, code := convnets(t, "leaderboard", "-run", dir, "-json")
		if code != 0 {
			t.Fatalf("leaderboard: exit %d %s", code, errOut)
		}
		var lb struct {
			Rows []struct {
				Command string `json:"command"`
			} `json:"rows"`
		}
		if err := json.Unmarshal([]byte(out), &lb); err != nil {
			t.Fatal(err)
		}
		again := filepath.Join(t.TempDir(), "again")
		cmd := strings.Fields(strings.TrimPrefix(lb.Rows[0].Command, "go run ./cmd/convnets "))
		if _, errOut, code := convnets(t, append(cmd, "-out", again, "-quiet")...); code != 0 {
			t.Fatalf("%v: exit %d %s", cmd, code, errOut)
		}
		a, _ := os.ReadFile(filepath.Join(dir, train.JobFile))
		b, _ := os.ReadFile(filepath.Join(again, train.JobFile))
		if len(a) == 0 || string(a) != string(b) {
			t.Fatalf("%v made\n%s\nthe printed command %v made\n%s", args, a, cmd, b)
		}
	}
}
