package datasets

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convnets/convnets/train"
)

var (
	mnistSample   = filepath.Join("..", "..", "testdata", "mnist")
	fashionSample = filepath.Join("..", "..", "testdata", "fashion-mnist")
)

// TestBindDefaultRecordsNoPath: a job on MNIST's own copy records the name
// and the four hashes (those of the copy convnets knows) and no folder.
func TestBindDefaultRecordsNoPath(t *testing.T) {
	job := train.Job{Dataset: "mnist"}
	if err := Bind(&job); err != nil {
		t.Fatal(err)
	}
	if job.Data != "" {
		t.Fatalf("job.Data = %q: a path of this machine", job.Data)
	}
	src, _ := Lookup("mnist")
	if !sameHashes(job.DataSHA256, src.Known) {
		t.Fatalf("hashes %v, want the known MNIST files %v", job.DataSHA256, src.Known)
	}
}

// TestBindFolder: a folder given with -data is kept (absolute), its files
// hashed, and a named dataset keeps its class names.
func TestBindFolder(t *testing.T) {
	job := train.Job{Dataset: "fashion-mnist", Data: fashionSample}
	if err := Bind(&job); err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(job.Data) || len(job.DataSHA256) != 4 {
		t.Fatalf("data %q, hashes %v", job.Data, job.DataSHA256)
	}
	d, err := Load(job, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 500 || d.Test.Len() != 500 || d.Train.ClassNames[0] != "T-shirt/top" || d.Test.ClassNames[9] != "Ankle boot" {
		t.Fatalf("%d/%d images, classes %v", d.Train.Len(), d.Test.Len(), d.Train.ClassNames)
	}
	// Unnamed: the sample is no known dataset, so it stays unnamed and its
	// classes are numbers.
	job = train.Job{Data: mnistSample}
	if err := Bind(&job); err != nil {
		t.Fatal(err)
	}
	if job.Dataset != "" {
		t.Fatalf("the MNIST sample was recognised as %q", job.Dataset)
	}
	if names := ClassNames(job.Dataset, 10); names[3] != "3" {
		t.Fatalf("class names %v", names)
	}
}

// TestIdentify: a folder holding exactly a known dataset's files gets its
// name.
func TestIdentify(t *testing.T) {
	dir, err := Lookup("mnist")
	if err != nil {
		t.Fatal(err)
	}
	if got := Identify(dir.Known); got != "mnist" {
		t.Fatalf("Identify(MNIST's hashes) = %q", got)
	}
	job := train.Job{Data: mustLocate(t, "mnist")}
	if err := Bind(&job); err != nil {
		t.Fatal(err)
	}
	if job.Dataset != "mnist" {
		t.Fatalf("MNIST's own folder given with -data was named %q", job.Dataset)
	}
}

func mustLocate(t *testing.T, name string) string {
	dir, err := Dir(name)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestChangedFileRefused: a run whose data file changed after it was
// recorded does not load, with one line naming the file.
func TestChangedFileRefused(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, fashionSample, dir)
	job := train.Job{Dataset: "fashion-mnist", Data: dir}
	if err := Bind(&job); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(job, ""); err != nil {
		t.Fatal(err)
	}
	// Same images, one label changed: still a valid IDX file.
	path := filepath.Join(dir, "t10k-labels-idx1-ubyte.gz")
	raw := gunzip(t, path)
	raw[len(raw)-1] = (raw[len(raw)-1] + 1) % 10
	writeGzip(t, path, raw)
	_, err := Load(job, "")
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "t10k-labels-idx1-ubyte.gz has SHA-256") {
		t.Fatalf("changed file: %v", err)
	}
	// The same through an override folder.
	if _, err := Load(job, dir); err == nil {
		t.Fatal("changed file accepted from -data")
	}
	// A missing file.
	os.Remove(path)
	if _, err := Load(job, ""); err == nil || !strings.Contains(err.Error(), "t10k-labels-idx1-ubyte") {
		t.Fatalf("missing file: %v", err)
	}
}

// TestMovedFolderFallsBack: a run made with a folder that is gone loads
// the named dataset's own copy when its files have the recorded hashes.
func TestMovedFolderFallsBack(t *testing.T) {
	job := train.Job{Dataset: "mnist", Data: mustLocate(t, "mnist")}
	if err := Bind(&job); err != nil {
		t.Fatal(err)
	}
	job.Data = filepath.Join(t.TempDir(), "gone")
	job.LimitTrain, job.LimitTest = 100, 100
	if _, err := Load(job, ""); err != nil {
		t.Fatal(err)
	}
}

// TestMissingFashion: without Debian's package the error is one line that
// says how to get it.
func TestMissingFashion(t *testing.T) {
	_, err := packaged(filepath.Join(t.TempDir(), "fashion-mnist"))
	if err == nil {
		t.Fatal("no error for a missing folder")
	}
	msg := err.Error()
	for _, want := range []string{"apt-get install dataset-fashion-mnist", "-data DIR"} {
		if !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
			t.Fatalf("%q does not say %q on one line", msg, want)
		}
	}
	if _, err := Lookup("cifar10"); err == nil || !strings.Contains(err.Error(), "fashion-mnist, mnist") {
		t.Fatalf("unknown dataset: %v", err)
	}
}

// TestStatsAndNormalisation: the statistics of the training split, and
// images normalised by them on every split.
func TestStatsAndNormalisation(t *testing.T) {
	job := train.Job{Dataset: "fashion-mnist", Data: fashionSample, Val: 100}
	d, err := Load(job, "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := Stats(d)
	if err != nil {
		t.Fatal(err)
	}
	// Fashion-MNIST's pixels: mean about 0.29, std about 0.35.
	if n.Mean < 0.2 || n.Mean > 0.4 || n.Std < 0.25 || n.Std > 0.45 {
		t.Fatalf("stats %+v", n)
	}
	job.Normalize = n
	d, err = Load(job, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range []*train.Dataset{d.Train, d.Val, d.Test} {
		if ds.Mean != float32(n.Mean) || ds.Std != float32(n.Std) {
			t.Fatalf("%s: normalisation %v/%v", ds.Name, ds.Mean, ds.Std)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeGzip(t *testing.T, path string, data []byte) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
