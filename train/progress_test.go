package train

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestLinesArePlain: the progress shown off a terminal is whole lines of
// text, no carriage returns or escape codes, a step line only when Every
// has passed, and one line per epoch.
func TestLinesArePlain(t *testing.T) {
	var b bytes.Buffer
	l := &Lines{W: &b, Every: time.Nanosecond}
	s := StepStats{Epoch: 1, Epochs: 2, Pos: 10, Steps: 937, Loss: 0.61, Acc: 0.8052, ImagesSec: 2449, ETA: 83 * time.Second}
	l.Step(s) // the first step starts the clock
	time.Sleep(time.Millisecond)
	l.Step(s)
	l.Epoch(EpochStats{Epoch: 1, TrainLoss: 0.2, TrainAcc: 0.9, ValAcc: math.NaN(), TestLoss: 0.1, TestAcc: 0.97, Seconds: 26.8, ImagesSec: 2444, RSSMB: 230}, 2)
	out := b.String()
	if strings.ContainsAny(out, "\r\x1b") {
		t.Fatalf("control characters in %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^  epoch 1  step 10/937  loss 0\.6100  acc 80\.52%  2449 img/s  eta 1:23$`),
		regexp.MustCompile(`^epoch 1/2  train loss 0\.2000  train acc 90\.00%  test loss 0\.1000  test acc 97\.00%  26\.8 s  2444 img/s  230 MB$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d %q does not match %s", i, lines[i], re)
		}
	}
	b.Reset()
	q := &Lines{W: &b, Every: time.Nanosecond, Quiet: true}
	q.Step(s)
	time.Sleep(time.Millisecond)
	q.Step(s)
	if b.Len() != 0 {
		t.Fatalf("quiet printed %q", b.String())
	}
	if got := FormatDuration(3723 * time.Second); got != "1:02:03" {
		t.Fatalf("FormatDuration: %s", got)
	}
}

// TestMetricsRoundTrip: metrics.csv parses back into the rows written.
func TestMetricsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "metrics.csv")
	m, err := openMetrics(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows := []EpochStats{
		{Epoch: 1, Step: 937, TrainLoss: 0.2393, TrainAcc: 0.9243, ValLoss: math.NaN(), ValAcc: math.NaN(), TestLoss: 0.0732, TestAcc: 0.9766, LR: 9.6e-4, Seconds: 26.8, ImagesSec: 2444, RSSMB: 229.5},
		{Epoch: 2, Step: 1874, TrainLoss: 0.06, TrainAcc: 0.981, ValLoss: 0.05, ValAcc: 0.985, TestLoss: 0.04, TestAcc: 0.987, LR: 8.5e-4, Seconds: 27.1, ImagesSec: 2431, RSSMB: 231},
	}
	for _, r := range rows {
		if err := m.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	got, err := ReadMetrics(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("%d rows back, want %d", len(got), len(rows))
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for i, w := range rows {
		g := got[i]
		if g.Epoch != w.Epoch || g.Step != w.Step || !same(g.TrainLoss, w.TrainLoss) || !same(g.TrainAcc, w.TrainAcc) ||
			!same(g.ValLoss, w.ValLoss) || !same(g.ValAcc, w.ValAcc) || !same(g.TestLoss, w.TestLoss) || !same(g.TestAcc, w.TestAcc) ||
			!same(g.LR, w.LR) || !same(g.Seconds, w.Seconds) || !same(g.ImagesSec, w.ImagesSec) || !same(g.RSSMB, w.RSSMB) {
			t.Errorf("row %d: got %+v, want %+v", i, g, w)
		}
	}
	for name, body := range map[string]string{
		"no header":  "1,2,3,4,5,6,7,8,9,10,11,12\n",
		"not number": strings.Join(MetricsHeader, ",") + "\n1,937,x,0,0,0,0,0,0,0,0,0\n",
		"short row":  strings.Join(MetricsHeader, ",") + "\n1,937\n",
	} {
		p := filepath.Join(t.TempDir(), "metrics.csv")
		if err := writeFile(p, body); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadMetrics(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o644) }

// TestMetricsResumeTrims: resuming in epoch 2 drops a row of epoch 2 (and
// later) written before a checkpoint that never was, so no epoch is listed
// twice; earlier rows stay as they were.
func TestMetricsResumeTrims(t *testing.T) {
	path := filepath.Join(t.TempDir(), "metrics.csv")
	m, err := openMetrics(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	for e := 1; e <= 3; e++ {
		if err := m.Write(EpochStats{Epoch: e, Step: int64(10 * e), TestAcc: 0.9}); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	if m, err = openMetrics(path, 2); err != nil {
		t.Fatal(err)
	}
	if err := m.Write(EpochStats{Epoch: 2, Step: 20, TestAcc: 0.95}); err != nil {
		t.Fatal(err)
	}
	m.Close()
	got, err := ReadMetrics(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Epoch != 1 || got[1].Epoch != 2 || got[1].TestAcc != 0.95 {
		t.Fatalf("rows after resuming in epoch 2: %+v", got)
	}
}
