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

var update = flag.Bool("update", false, "rewrite testdata/mnist from the real MNIST")

// sampleDir holds the first sampleSize images of each split of real MNIST.
const sampleSize = 500

var sampleDir = filepath.Join("..", "..", "testdata", "mnist")

// TestSample checks that testdata/mnist is exactly the first images of real
// MNIST (from the GoMNIST module); with -update it rewrites it.
func TestSample(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, split := range []Split{Train, Test} {
		full, err := Load(dir, split)
		if err != nil {
			t.Fatal(err)
		}
		want := full.Head(sampleSize)
		if *update {
			if err := os.MkdirAll(sampleDir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeIDX(t, filepath.Join(sampleDir, string(split)+"-images-idx3-ubyte.gz"), imageMagic, []uint32{sampleSize, 28, 28}, want.Images)
			writeIDX(t, filepath.Join(sampleDir, string(split)+"-labels-idx1-ubyte.gz"), labelMagic, []uint32{sampleSize}, want.Labels)
		}
		got, err := Load(sampleDir, split)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Images, want.Images) || !bytes.Equal(got.Labels, want.Labels) {
			t.Fatalf("testdata/mnist %s differs from the first %d images of MNIST; run go test ./train/mnist -run TestSample -update", split, sampleSize)
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
