package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
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
