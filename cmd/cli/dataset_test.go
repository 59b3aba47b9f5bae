package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

func readJob(t *testing.T, dir string) train.Job {
	t.Helper()
	job, err := train.ReadJob(dir)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// TestRecipeApplied: a preset's recipe for the named dataset fills every
// flag not given; flags given win; the job records the resolved values.
func TestRecipeApplied(t *testing.T) {
	spec, _ := arch.Builtin().Lookup("lenet5-relu")
	r, ok := spec.Recipe("fashion-mnist")
	if !ok {
		t.Fatal("lenet5-relu has no Fashion-MNIST recipe")
	}
	dir := filepath.Join(t.TempDir(), "run")
	out, errOut, code := convnets(t, "train", "-dataset", "fashion-mnist", "-data", fashionSample, "-epochs", "1", "-batch", "50",
		"-limit-test", "100", "-out", dir, "-quiet")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "recipe of lenet5-relu for fashion-mnist") {
		t.Fatalf("no recipe line:\n%s", out)
	}
	job := readJob(t, dir)
	if job.Epochs != 1 || job.Batch != 50 {
		t.Fatalf("flags given lost: epochs %d, batch %d", job.Epochs, job.Batch)
	}
	if job.Opt.Name != r.Opt || job.Opt.LR != r.LR || job.Schedule.Name != r.Schedule || job.Shift != r.Shift ||
		job.CropPad != r.CropPad || job.Flip != r.Flip || (job.Normalize != nil) != r.Normalize || job.Val != r.Val {
		t.Fatalf("job %+v does not follow the recipe %+v", job, r)
	}
	if job.Dataset != "fashion-mnist" || len(job.DataSHA256) != 4 {
		t.Fatalf("dataset %q, hashes %v", job.Dataset, job.DataSHA256)
	}
	// A flag given wins over the recipe, also a boolean one switched off.
	dir2 := filepath.Join(t.TempDir(), "run")
	_, errOut, code = convnets(t, "train", "-dataset", "fashion-mnist", "-data", fashionSample, "-epochs", "1", "-batch", "50",
		"-limit-test", "100", "-flip=false", "-crop-pad", "3", "-opt", "sgd", "-lr", "0.01", "-out", dir2, "-quiet")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	if job := readJob(t, dir2); job.Flip || job.CropPad != 3 || job.Opt.Name != "sgd" || job.Opt.LR != 0.01 || job.Opt.Momentum != 0.9 {
		t.Fatalf("flags given did not win: %+v", job)
	}
	// A recipe with another optimizer than the flags' default: all of its
	// settings apply; with -opt given, none of its optimizer settings do.
	bn, _ := arch.Builtin().Lookup("inception-bn-mnist")
	rb, _ := bn.Recipe("fashion-mnist")
	for _, c := range []struct {
		flags []string
		want  train.OptConfig
	}{
		{nil, train.OptConfig{Name: rb.Opt, LR: rb.LR, Momentum: rb.Momentum}},
		{[]string{"-opt", "adam"}, train.OptConfig{Name: "adam", LR: 1e-3}},
	} {
		d := filepath.Join(t.TempDir(), "run")
		args := append([]string{"train", "-arch", "inception-bn-mnist", "-dataset", "fashion-mnist", "-data", fashionSample, "-epochs", "1",
			"-batch", "32", "-limit-train", "64", "-limit-test", "32", "-out", d, "-quiet"}, c.flags...)
		if _, errOut, code := convnets(t, args...); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		if job := readJob(t, d); job.Opt != c.want || !job.Flip || job.Epochs != 1 {
			t.Fatalf("%v: optimizer %+v, want %+v", c.flags, job.Opt, c.want)
		}
	}
	// The class names reach the evaluation.
	out, errOut, code = convnets(t, "eval", "-run", dir)
	if code != 0 || !strings.Contains(out, "T-shirt/top") || !strings.Contains(out, "Ankle boot") {
		t.Fatalf("eval: exit %d %s\n%s", code, errOut, out)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil || !strings.Contains(string(report), "# lenet5-relu on Fashion-MNIST") || !strings.Contains(string(report), "| Sneaker |") {
		t.Fatalf("report.md: %v\n%s", err, report)
	}
}

// TestBuiltinRecipes: every recipe names a known dataset, flips only
// images whose mirror keeps the class (never digits), and makes a valid job
// through the command line's flags.
func TestBuiltinRecipes(t *testing.T) {
	reg := arch.Builtin()
	n := 0
	for _, name := range reg.Names() {
		spec, _ := reg.Lookup(name)
		seen := map[string]bool{}
		for _, r := range spec.Recipes {
			n++
			src, err := datasets.Lookup(r.Dataset)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if r.Flip && !src.Mirrorable {
				t.Fatalf("%s: the %s recipe flips images whose mirror is no member of their class", name, r.Dataset)
			}
			if seen[r.Dataset] {
				t.Fatalf("%s: two recipes for %s", name, r.Dataset)
			}
			if r.Width != 0 {
				if scales, err := spec.ScalesWithWidth(); err != nil || !scales {
					t.Fatalf("%s: the %s recipe sets a width the preset ignores (%v)", name, r.Dataset, err)
				}
			}
			seen[r.Dataset] = true
			if r.Why == "" {
				t.Fatalf("%s: the %s recipe does not say how it was chosen", name, r.Dataset)
			}
			if r.Dataset == "mnist" && (r.CropPad != 0 || r.Normalize) {
				t.Fatalf("%s: the MNIST recipe is not the job of the README's MNIST results", name)
			}
		}
	}
	if n == 0 {
		t.Fatal("no recipes")
	}
	// Every recipe as flags gives a job that validates.
	for _, name := range reg.Names() {
		spec, _ := reg.Lookup(name)
		for _, r := range spec.Recipes {
			var args []string
			for _, s := range r.Settings() {
				args = append(args, "-"+s.Flag+"="+s.Value)
			}
			dir := filepath.Join(t.TempDir(), "run")
			_, errOut, code := convnets(t, append([]string{"train", "-arch", name, "-job", writeRecipeJob(t, name, r), "-out", dir, "-limit-train", "1"}, args...)...)
			if code == 2 {
				t.Fatalf("%s %s: recipe flags refused: %s", name, r.Dataset, errOut)
			}
		}
	}
}

// writeRecipeJob writes a job file that trains nothing real: the command
// must get past its flags and fail only on the one training image.
func writeRecipeJob(t *testing.T, name string, r arch.Recipe) string {
	path := filepath.Join(t.TempDir(), "job.json")
	abs, _ := filepath.Abs(sample)
	doc := `{"arch": "` + name + `", "data": ` + quote(abs) + `}`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestMovedRunResumesAndEvaluates: a run on a named dataset records no
// path, so its folder moved elsewhere resumes and evaluates; a changed data
// file is refused with one line.
func TestMovedRunResumesAndEvaluates(t *testing.T) {
	tmp := t.TempDir()
	jobPath := filepath.Join(tmp, "job.json")
	doc := `{"arch": "lenet5-relu", "dataset": "mnist", "epochs": 2, "batch": 50, "limit_train": 300, "limit_test": 100, "stop_after": 4}`
	if err := os.WriteFile(jobPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(tmp, "first")
	if _, errOut, code := convnets(t, "train", "-job", jobPath, "-out", first, "-quiet"); code != 130 {
		t.Fatalf("stopped run: exit %d %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(first, "job.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"data"`) || strings.Contains(string(b), string(filepath.Separator)+"go"+string(filepath.Separator)) || !strings.Contains(string(b), `"data_sha256"`) {
		t.Fatalf("job.json holds a path of this machine or no hashes:\n%s", b)
	}
	moved := filepath.Join(tmp, "elsewhere", "moved")
	os.MkdirAll(filepath.Dir(moved), 0o755)
	if err := os.Rename(first, moved); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := convnets(t, "train", "-resume", moved, "-quiet"); code != 0 {
		t.Fatalf("resume after the move: exit %d %s", code, errOut)
	}
	if _, errOut, code := convnets(t, "eval", "-run", moved, "-json", "-batch", "0"); code != 0 { // -batch is -weights' alone
		t.Fatalf("eval after the move: exit %d %s", code, errOut)
	}
	// The same run against other files: refused, one line.
	job := readJob(t, moved)
	for k := range job.DataSHA256 {
		job.DataSHA256[k] = strings.Repeat("0", 64)
		break
	}
	if err := train.WriteJob(moved, job); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := convnets(t, "eval", "-run", moved)
	if code != 1 || !strings.Contains(errOut, "SHA-256") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("changed data: exit %d %q", code, errOut)
	}
}

// TestDatasetFlags: unknown names are usage errors; flip on MNIST warns.
func TestDatasetFlags(t *testing.T) {
	_, errOut, code := convnets(t, "train", "-dataset", "cifar10")
	if code != 2 || !strings.Contains(errOut, "fashion-mnist, mnist") {
		t.Fatalf("unknown dataset: exit %d %q", code, errOut)
	}
	_, errOut, code = convnets(t, "train", "-crop-pad", "4611686018427387904", "-limit-train", "100", "-out", filepath.Join(t.TempDir(), "r"))
	if code != 2 || !strings.Contains(errOut, `"crop_pad"`) {
		t.Fatalf("huge crop: exit %d %q", code, errOut)
	}
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, code = convnets(t, "train", "-dataset", "mnist", "-flip", "-epochs", "1", "-batch", "50", "-limit-train", "100",
		"-limit-test", "50", "-out", dir, "-quiet")
	if code != 0 || !strings.Contains(errOut, "warning: -flip on mnist") {
		t.Fatalf("flip on MNIST: exit %d %q", code, errOut)
	}
}

// TestListRecipes: every recipe is listed, as text and as JSON.
func TestListRecipes(t *testing.T) {
	out, errOut, code := convnets(t, "list", "-recipes")
	if code != 0 || !strings.Contains(out, "inception-bn-mnist") || !strings.Contains(out, "fashion-mnist") || !strings.Contains(out, "chosen:") {
		t.Fatalf("list -recipes: exit %d %s\n%s", code, errOut, out)
	}
	out, _, code = convnets(t, "list", "-recipes", "-json")
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			Arch    string `json:"arch"`
			Dataset string `json:"dataset"`
			Epochs  int    `json:"epochs"`
			Summary string `json:"summary"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.Arch == "" || r.Dataset == "" || r.Epochs <= 0 || r.Summary == "" {
			t.Fatalf("line %q: %v", line, err)
		}
		n++
	}
	want := 0
	reg := arch.Builtin()
	for _, name := range reg.Names() {
		s, _ := reg.Lookup(name)
		want += len(s.Recipes)
	}
	if code != 0 || n != want {
		t.Fatalf("list -recipes -json: exit %d, %d recipes, want %d", code, n, want)
	}
}
