package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

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
}
