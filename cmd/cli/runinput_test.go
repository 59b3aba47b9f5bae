package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

func mnistDir(t *testing.T) string {
	t.Helper()
	dir, err := datasets.Dir("mnist")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestJobFileFolderIdentified: a job file that names a folder and no
// dataset gets the dataset its files are, not the default's name; a folder
// that holds another dataset than -dataset names is refused.
func TestJobFileFolderIdentified(t *testing.T) {
	tmp := t.TempDir()
	jobPath := filepath.Join(tmp, "job.json")
	doc := `{"arch": "lenet5-relu", "data": ` + quote(mnistDir(t)) + `, "epochs": 1, "batch": 50, "limit_train": 100, "limit_test": 50}`
	if err := os.WriteFile(jobPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "run")
	if _, errOut, code := convnets(t, "train", "-job", jobPath, "-out", dir, "-quiet"); code != 0 {
		t.Fatalf("train -job: exit %d %s", code, errOut)
	}
	if job := readJob(t, dir); job.Dataset != "mnist" {
		t.Fatalf("dataset %q, want mnist (recognised by its hashes)", job.Dataset)
	}
	_, errOut, code := convnets(t, "train", "-dataset", "fashion-mnist", "-data", mnistDir(t), "-out", filepath.Join(tmp, "bad"))
	if code != 1 || !strings.Contains(errOut, "holds the files of mnist") {
		t.Fatalf("MNIST's files as Fashion-MNIST: exit %d %q", code, errOut)
	}
}

// TestDamagedRunRefused: hand-edited job.json files that would skip a
// check or a normalisation are refused, one line each.
func TestDamagedRunRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := convnets(t, "train", "-dataset", "fashion-mnist", "-data", fashionSample, "-normalize", "-epochs", "1",
		"-batch", "50", "-limit-test", "100", "-out", dir, "-quiet"); code != 0 {
		t.Fatalf("train: exit %d %s", code, errOut)
	}
	good := readJob(t, dir)
	if good.Normalize == nil || good.Normalize.Std == 0 {
		t.Fatalf("normalisation not recorded: %+v", good.Normalize)
	}
	for _, c := range []struct {
		name string
		edit func(*train.Job)
		want string
	}{
		{"empty normalisation", func(j *train.Job) { j.Normalize = &train.Normalization{} }, `"normalize"`},
		{"no hashes", func(j *train.Job) { j.DataSHA256 = nil }, `"data_sha256"`},
		{"three hashes", func(j *train.Job) {
			j.DataSHA256 = map[string]string{}
			for k, v := range good.DataSHA256 {
				if len(j.DataSHA256) < 3 {
					j.DataSHA256[k] = v
				}
			}
		}, `"data_sha256"`},
		{"unknown dataset", func(j *train.Job) { j.Dataset = "cifar10" }, `"dataset"`},
	} {
		job := good
		c.edit(&job)
		if err := train.WriteJob(dir, job); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := convnets(t, "eval", "-run", dir)
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Fatalf("%s: exit %d %q", c.name, code, errOut)
		}
	}
	if _, errOut, code := convnets(t, "eval", "-run", dir, "-dataset", "mnist"); code != 2 {
		t.Fatalf("eval -run -dataset: exit %d %q", code, errOut)
	}
}

// TestLeaderboardBadInput: an empty run and a hand-written board without
// margins give errors or tables, never a panic.
func TestLeaderboardBadInput(t *testing.T) {
	dir := t.TempDir()
	job := train.Job{Arch: "lenet5-relu", Input: [3]int{1, 28, 28}, Classes: 10, Epochs: 1, Batch: 64,
		Opt: train.OptConfig{Name: "adam", LR: 1e-3}, Schedule: train.Schedule{Name: "cosine"}, Dataset: "mnist"}
	if err := train.WriteJob(dir, job); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "metrics.csv"), []byte(strings.Join(train.MetricsHeader, ",")+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, train.WeightsFile), []byte("x"), 0o644)
	if _, errOut, code := convnets(t, "leaderboard", "-run", dir); code != 1 || !strings.Contains(errOut, "0 epochs") {
		t.Fatalf("empty run: exit %d %q", code, errOut)
	}
	board := filepath.Join(t.TempDir(), "board.json")
	doc := `{"title": "", "d2l_source": "", "rows": [{"run": "r", "arch": "vgg11-mnist", "dataset": "fashion-mnist", "input": [1, 32, 32],
	  "params": 1, "non_trainable": 0, "macs": 1, "recipe": "", "command": "", "epochs": 1, "seconds": 1, "epoch_seconds_min": 1,
	  "epoch_seconds_max": 1, "test_accuracy": 0.9, "test_loss": 0.3, "d2l": {"family": "VGG", "section": "7.2", "printed": [0.916, 0.916], "recipe": ""}}]}`
	os.WriteFile(board, []byte(doc), 0o644)
	out, errOut, code := convnets(t, "leaderboard", "-from", board, "-md")
	if code != 0 || !strings.Contains(out, "-1.60") {
		t.Fatalf("board without margins: exit %d %q\n%s", code, errOut, out)
	}
}
