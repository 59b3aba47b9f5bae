package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/mnist"
)

// writePNG writes a grey image of side x side whose pixel (x, y) is f(x, y).
func writePNG(t *testing.T, path string, side int, f func(x, y int) uint8) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			img.SetGray(x, y, color.Gray{Y: f(x, y)})
		}
	}
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if err := png.Encode(file, img); err != nil {
		t.Fatal(err)
	}
}

// TestPredictImages: a test image saved as a PNG is classified as eval
// classifies it; the same image inverted (dark on light) and four times
// larger gives the same probabilities; bad files and flags are refused.
func TestPredictImages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := convnets(t, "train", "-data", sample, "-limit-train", "256", "-limit-test", "64", "-epochs", "2", "-batch", "32",
		"-out", dir, "-quiet"); code != 0 {
		t.Fatalf("train: %s", errOut)
	}
	files, err := mnist.Files(sample)
	if err != nil {
		t.Fatal(err)
	}
	img, err := mnist.ReadImagesHead(files[2], 1)
	if err != nil {
		t.Fatal(err)
	}
	px := func(x, y int) uint8 { return img.Pixels[y*28+x] }
	a, b := filepath.Join(t.TempDir(), "a.png"), filepath.Join(t.TempDir(), "b.png")
	writePNG(t, a, 28, px)
	writePNG(t, b, 112, func(x, y int) uint8 { return 255 - px(x/4, y/4) })
	out, errOut, code := convnets(t, "predict", "-run", dir, "-json", "-top", "10", a, b)
	if code != 0 {
		t.Fatalf("predict: exit %d %s", code, errOut)
	}
	var got [2]struct {
		Image   string       `json:"image"`
		Guesses []jobs.Guess `json:"guesses"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	for i := range got {
		if err := dec.Decode(&got[i]); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
	}
	m, err := jobs.OpenRun(arch.Builtin(), dir, "final", "")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	preds, err := train.Predict(m.Program, m.Test.Head(1))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Guesses[0].Class != preds.Pred[0] {
		t.Fatalf("the PNG of test image 0 is a %d, eval says %d", got[0].Guesses[0].Class, preds.Pred[0])
	}
	ga, _ := json.Marshal(got[0].Guesses)
	gb, _ := json.Marshal(got[1].Guesses)
	if string(ga) != string(gb) || len(got[0].Guesses) != 10 {
		t.Fatalf("inverted and enlarged, other probabilities:\n%s\n%s", ga, gb)
	}
	notImage := filepath.Join(t.TempDir(), "x.png")
	os.WriteFile(notImage, []byte("not an image"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"predict", "-run", dir}, 2, "name one image"},
		{[]string{"predict", a}, 2, "give -run DIR or -weights FILE"},
		{[]string{"predict", "-run", dir, "-invert", "maybe", a}, 2, "want auto, yes or no"},
		{[]string{"predict", "-run", dir, notImage}, 1, "want PNG, JPEG or GIF"},
		{[]string{"predict", "-run", dir, "/dev/zero"}, 1, "not a regular file"},
	} {
		if _, errOut, code := convnets(t, c.args...); code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q, want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to write from one goroutine and read
// from another.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServe: serve prints its address, answers there, and ends cleanly
// when its context is cancelled (as Ctrl-C does).
func TestServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := convnets(t, "train", "-data", sample, "-limit-train", "128", "-limit-test", "32", "-epochs", "1", "-batch", "32",
		"-out", dir, "-quiet"); code != 0 {
		t.Fatalf("train: %s", errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() { done <- Main(ctx, []string{"serve", "-run", dir, "-addr", "127.0.0.1:0"}, nil, &out, &errOut) }()
	var url string
	for i := 0; i < 200 && url == ""; i++ {
		if _, rest, ok := strings.Cut(out.String(), "draw at "); ok {
			url, _, _ = strings.Cut(rest, " ")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if url == "" {
		t.Fatalf("no address printed: %q %q", out.String(), errOut.String())
	}
	res, err := http.Get(url + "info")
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]string
	json.NewDecoder(res.Body).Decode(&info)
	res.Body.Close()
	if info["arch"] != "lenet5-relu" || !strings.Contains(info["about"], "mnist") {
		t.Fatalf("info %v", info)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve ended with %d: %s", code, errOut.String())
	}
	if _, errOut, code := convnets(t, "serve"); code != 2 || !strings.Contains(errOut, "give -run DIR") {
		t.Fatalf("serve without weights: %d %s", code, errOut)
	}
}

// TestPredictDrawnImages: digits and clothes drawn by a script
// (testdata/images/gen.go: strokes and outlines at other sizes and colours,
// on light and dark paper, PNG and JPEG) are classified correctly by the
// README's MNIST default run and the Fashion-MNIST lenet5-relu row, whose
// weights testdata/models holds (the label is in each file's name).
func TestPredictDrawnImages(t *testing.T) {
	for _, c := range []struct{ model, glob string }{
		{"lenet5-relu-mnist.safetensors", "digit-*"},
		{"lenet5-relu-fashion.safetensors", "fashion-*"},
	} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "images", c.glob))
		if len(files) < 14 {
			t.Fatalf("%d images %s", len(files), c.glob)
		}
		args := append([]string{"predict", "-weights", filepath.Join("..", "..", "testdata", "models", c.model), "-json", "-top", "1"}, files...)
		out, errOut, code := convnets(t, args...)
		if code != 0 {
			t.Fatalf("predict: exit %d %s", code, errOut)
		}
		dec := json.NewDecoder(strings.NewReader(out))
		for range files {
			var r struct {
				Image   string       `json:"image"`
				Guesses []jobs.Guess `json:"guesses"`
			}
			if err := dec.Decode(&r); err != nil {
				t.Fatal(err)
			}
			label := strings.Split(filepath.Base(r.Image), "-")[1] // digit-7-... or fashion-7-...
			if strconv.Itoa(r.Guesses[0].Class) != label {
				t.Errorf("%s: %s (%d), want class %s", filepath.Base(r.Image), r.Guesses[0].Name, r.Guesses[0].Class, label)
			}
		}
	}
}

// TestPredictBadFiles: an empty file, a truncated PNG, a zero-sized image
// and a "decompression bomb" (a header claiming 100,000 x 100,000 pixels)
// are one-line errors, and nothing is decoded past the header.
func TestPredictBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.png")
	writePNG(t, good, 28, func(x, y int) uint8 { return uint8(x * 9) })
	b, _ := os.ReadFile(good)
	header := func(w, h uint32) []byte { // the PNG with its IHDR's size (and checksum) changed
		c := append([]byte(nil), b...)
		binary.BigEndian.PutUint32(c[16:], w)
		binary.BigEndian.PutUint32(c[20:], h)
		binary.BigEndian.PutUint32(c[29:], crc32.ChecksumIEEE(c[12:29]))
		return c
	}
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"empty.png":     {nil, "want PNG, JPEG or GIF"},
		"truncated.png": {b[:len(b)/2], "truncated.png"},
		"bomb.png":      {header(100000, 100000), "100000x100000: want 1 to 4096 pixels a side"},
		"zero.png":      {header(0, 28), "zero.png"},
	} {
		data := c.data
		path := filepath.Join(dir, name)
		os.WriteFile(path, data, 0o644)
		_, errOut, code := convnets(t, "predict", "-weights", filepath.Join("..", "..", "testdata", "models", "lenet5-relu-mnist.safetensors"), path)
		if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, name) || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d %q, want 1 and one line naming it and saying %q", name, code, errOut, c.want)
		}
	}
}
