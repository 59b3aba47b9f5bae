package jobs

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

//go:embed demo.html
var demoPage []byte

// maxUpload bounds a drawing posted to the demo.
const maxUpload = 4 << 20

// Demo is the classic LeNet demo for a model: a page where one draws a
// digit (or a piece of clothing) and watches the model's guesses. GET /
// serves the page; POST /predict takes an image file (the page sends its
// canvas as PNG) and answers the top guesses as JSON; GET /info names the
// model. The model runs one image at a time.
type Demo struct {
	m    *Model
	mu   sync.Mutex
	mux  *http.ServeMux
	desc string
	// rate limiting: at most rateBurst requests, refilled at rateBurst a
	// second.
	rmu    sync.Mutex
	tokens float64
	last   time.Time
}

const rateBurst = 20

// allow takes a token of the rate limit, or says no.
func (d *Demo) allow() bool {
	d.rmu.Lock()
	defer d.rmu.Unlock()
	now := time.Now()
	d.tokens = min(rateBurst, d.tokens+rateBurst*now.Sub(d.last).Seconds())
	d.last = now
	if d.tokens < 1 {
		return false
	}
	d.tokens--
	return true
}

// NewDemo serves m; desc says what it is (shown under the pad).
func NewDemo(m *Model, desc string) *Demo {
	d := &Demo{m: m, mux: http.NewServeMux(), desc: desc, tokens: rateBurst, last: time.Now()}
	d.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(demoPage)
	})
	d.mux.HandleFunc("GET /info", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"arch": m.Arch, "about": desc})
	})
	d.mux.HandleFunc("POST /predict", d.predict)
	return d
}

// ServeHTTP serves the demo.
func (d *Demo) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.mux.ServeHTTP(w, r) }

func (d *Demo) predict(w http.ResponseWriter, r *http.Request) {
	if !d.allow() {
		http.Error(w, "too many requests: at most 20 a second", http.StatusTooManyRequests)
		return
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpload))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, fmt.Sprintf("the image is over %d bytes", maxUpload), http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	img, err := DecodeImage(b, "the upload", 28, "auto")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	d.mu.Lock()
	guesses, err := d.m.Classify([][]uint8{img})
	d.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	seen := make([]int, len(img)) // numbers, not the base64 that []byte would give
	for i, v := range img {
		seen[i] = int(v)
	}
	writeJSON(w, map[string]any{"guesses": guesses[0][:min(3, len(guesses[0]))], "seen": seen})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// ServeDemo serves m's demo page at addr (host:port) until ctx ends, then
// shuts the server down; it says where to draw on log once it listens.
func ServeDemo(ctx context.Context, m *Model, addr string, log io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: NewDemo(m, m.Source), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(log, "draw at http://%s/ (Ctrl-C ends)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
