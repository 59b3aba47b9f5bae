package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/mnist and testdata/fashion-mnist from the real datasets")

// sampleSize is the images of each split kept in the samples.
const sampleSize = 500

// samples are testdata's copies of the first sampleSize images of each
// split of a real dataset, and where the real one is.
var samples = []struct {
	name, dir string
	real      func() (string, error)
}{
	{"mnist", filepath.Join("..", "..", "testdata", "mnist"), DefaultDir},
	{"fashion-mnist", filepath.Join("..", "..", "testdata", "fashion-mnist"), func() (string, error) {
		// Debian's dataset-fashion-mnist (package datasets knows it by name).
		const dir = "/usr/share/datasets/fashion-mnist"
		_, err := os.Stat(dir)
		return dir, err
	}},
}

// TestSample checks that testdata/mnist and testdata/fashion-mnist are
// exactly the first images of the real datasets; with -update it rewrites
// them. Fashion-MNIST's check needs Debian's dataset-fashion-mnist.
func TestSample(t *testing.T) {
	for _, s := range samples {
		dir, err := s.real()
		if err != nil {
			if s.name == "mnist" {
				t.Fatal(err)
			}
			t.Logf("skipping %s: %v (apt-get install dataset-fashion-mnist)", s.name, err)
			continue
		}
		for _, split := range []Split{Train, Test} {
			full, err := Load(dir, split)
			if err != nil {
				t.Fatal(err)
			}
			want := full.Head(sampleSize)
			if *update {
				if err := os.MkdirAll(s.dir, 0o755); err != nil {
					t.Fatal(err)
				}
				writeIDX(t, filepath.Join(s.dir, string(split)+"-images-idx3-ubyte.gz"), imageMagic, []uint32{sampleSize, 28, 28}, want.Images)
				writeIDX(t, filepath.Join(s.dir, string(split)+"-labels-idx1-ubyte.gz"), labelMagic, []uint32{sampleSize}, want.Labels)
			}
			got, err := Load(s.dir, split)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Images, want.Images) || !bytes.Equal(got.Labels, want.Labels) {
				t.Fatalf("testdata/%s %s differs from the first %d images of %s; run go test ./train/mnist -run TestSample -update", s.name, split, sampleSize, s.name)
			}
		}
	}
}

// encodeIDX returns an IDX file's bytes.
func encodeIDX(magic uint32, dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	binary.Write(&b, binary.BigEndian, dims)
	b.Write(data)
	return b.Bytes()
}

func writeIDX(t *testing.T, path string, magic uint32, dims []uint32, data []byte) {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(encodeIDX(magic, dims, data))
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
