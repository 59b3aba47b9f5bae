package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/train"
)

// TestDemo: the drawing page is served; a drawing posted as PNG gets the
// model's guesses for it; an upload that is no image, too large, or sent
// with GET is refused.
func TestDemo(t *testing.T) {
	reg := arch.Builtin()
	spec, _ := reg.Lookup("lenet5-relu")
	job := train.Job{Arch: spec.Name, Input: spec.Default.Input, Classes: 10, Epochs: 1, Batch: 50, Seed: 1,
		Opt: train.OptConfig{Name: "adam", LR: 0.003}, Schedule: train.Schedule{Name: "constant"},
		Data: filepath.Join("..", "..", "testdata", "mnist"), LimitTrain: 200, LimitTest: 50, Replicas: -1}
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := jobs.Run(context.Background(), spec, job, dir, jobs.Output{}); err != nil {
		t.Fatal(err)
	}
	m, err := jobs.OpenRun(reg, dir, "final", "")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	srv := httptest.NewServer(jobs.NewDemo(m, "a test"))
	defer srv.Close()

	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(page.String(), "<canvas") {
		t.Fatalf("GET /: %d", res.StatusCode)
	}

	// A white stroke on black, as the page draws: a vertical bar, a "1".
	img := image.NewGray(image.Rect(0, 0, 280, 280))
	for y := 40; y < 240; y++ {
		for x := 125; x < 155; x++ {
			img.SetGray(x, y, color.Gray{Y: 255})
		}
	}
	var drawing bytes.Buffer
	png.Encode(&drawing, img)
	pixels, err := jobs.DecodeImage(drawing.Bytes(), "drawing", 28, "auto")
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Classify([][]uint8{pixels})
	if err != nil {
		t.Fatal(err)
	}
	res, err = http.Post(srv.URL+"/predict", "image/png", bytes.NewReader(drawing.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Guesses []jobs.Guess }
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != 200 {
		t.Fatalf("POST /predict: %d %v", res.StatusCode, err)
	}
	res.Body.Close()
	if len(got.Guesses) != 3 || got.Guesses[0] != want[0][0] {
		t.Fatalf("guesses %+v, want the top three of %+v", got.Guesses, want[0])
	}

	for _, c := range []struct {
		method string
		body   []byte
		code   int
	}{
		{"POST", []byte("not an image"), http.StatusBadRequest},
		{"POST", make([]byte, 5<<20), http.StatusRequestEntityTooLarge},
		{"GET", nil, http.StatusMethodNotAllowed},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+"/predict", bytes.NewReader(c.body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.code {
			t.Errorf("%s /predict with %d bytes: %d, want %d", c.method, len(c.body), res.StatusCode, c.code)
		}
	}
	limited := 0
	for i := 0; i < 40; i++ { // faster than 20 a second
		res, err := http.Post(srv.URL+"/predict", "image/png", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("40 requests at once, none refused for the rate")
	}
}

// TestDemoInChromium: a real browser (Debian's chromium, headless) opens
// the page, draws a stroke through the page's own pointer handlers, sends
// it, and shows the top guess: the class the model gives the image the
// server received.
func TestDemoInChromium(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("no chromium: apt-get install chromium")
	}
	reg := arch.Builtin()
	spec, _ := reg.Lookup("lenet5-relu")
	job := train.Job{Arch: spec.Name, Input: spec.Default.Input, Classes: 10, Epochs: 1, Batch: 50, Seed: 1,
		Opt: train.OptConfig{Name: "adam", LR: 0.003}, Schedule: train.Schedule{Name: "constant"},
		Data: filepath.Join("..", "..", "testdata", "mnist"), LimitTrain: 200, LimitTest: 50, Replicas: -1}
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := jobs.Run(context.Background(), spec, job, dir, jobs.Output{}); err != nil {
		t.Fatal(err)
	}
	m, err := jobs.OpenRun(reg, dir, "final", "")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	demo := jobs.NewDemo(m, "a test")
	var mu sync.Mutex
	var last []byte // the last image the page sent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			last = b
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		demo.ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dom, err := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
		"--user-data-dir="+t.TempDir(), "--dump-dom", srv.URL+"/?selftest").Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	_, rest, ok := strings.Cut(string(dom), `<p id="top">top guess: `)
	shown, _, _ := strings.Cut(rest, "</p>")
	mu.Lock()
	defer mu.Unlock()
	if !ok || last == nil {
		t.Fatalf("the page shows no guess (sent %d bytes):\n%s", len(last), dom)
	}
	pixels, err := jobs.DecodeImage(last, "the page's drawing", 28, "auto")
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Classify([][]uint8{pixels})
	if err != nil {
		t.Fatal(err)
	}
	if shown != want[0][0].Name {
		t.Fatalf("the page shows %q, the model gives the drawing %q", shown, want[0][0].Name)
	}
	ink := 0
	for _, v := range pixels {
		if v > 128 {
			ink++
		}
	}
	if ink < 20 {
		t.Fatalf("the drawing the page sent has %d bright pixels of 784: no stroke", ink)
	}
}
