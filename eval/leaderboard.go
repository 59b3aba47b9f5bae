package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/internal/safefile"
	"github.com/pkg/errors"
)

// LeaderRow is one finished training run on a leaderboard, as its run directory
// records it.
type LeaderRow struct {
	// Run is the run directory.
	Run     string `json:"run"`
	Arch    string `json:"arch"`
	Dataset string `json:"dataset"`
	Input   [3]int `json:"input"`
	Params  int64  `json:"params"`
	// NonTrainable counts batch-norm statistics and other fixed tensors.
	NonTrainable int64 `json:"non_trainable"`
	MACs         int64 `json:"macs"`
	// Recipe is the job's training settings in one line; Command repeats
	// the run.
	Recipe  string `json:"recipe"`
	Command string `json:"command"`
	Epochs  int    `json:"epochs"`
	// Seconds is the run's time: training and the per-epoch evaluation
	// passes, summed over the epochs of metrics.csv.
	Seconds         float64 `json:"seconds"`
	EpochSecondsMin float64 `json:"epoch_seconds_min"`
	EpochSecondsMax float64 `json:"epoch_seconds_max"`
	TestAccuracy    float64 `json:"test_accuracy"`
	TestLoss        float64 `json:"test_loss"`
	// ValAccuracy is the last epoch's validation accuracy, when the run
	// held images out.
	ValAccuracy *float64 `json:"val_accuracy,omitempty"`
	// D2L is the printed accuracy of the preset's family in d2l, and
	// Margin the test accuracy minus the higher of its printed figures.
	D2L    *D2L     `json:"d2l,omitempty"`
	Margin *float64 `json:"margin,omitempty"`
}

// Leaderboard is a table of finished runs.
type Leaderboard struct {
	Title string      `json:"title"`
	D2L   string      `json:"d2l_source"`
	Rows  []LeaderRow `json:"rows"`
}

// SetD2L fills the row's d2l reference and margin for Fashion-MNIST runs.
func (r *LeaderRow) SetD2L() {
	if r.Dataset != "fashion-mnist" {
		return
	}
	if d, ok := D2LFashion(r.Arch); ok {
		m := r.TestAccuracy - d.Best()
		r.D2L, r.Margin = &d, &m
	}
}

// Write renders the leaderboard as "md" (the table, then each run's
// command), "text", "csv" or "json".
func (l *Leaderboard) Write(w io.Writer, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return errors.Wrap(enc.Encode(l), "leaderboard")
	}
	val, d2l := false, false
	for _, r := range l.Rows {
		val = val || r.ValAccuracy != nil
		d2l = d2l || r.D2L != nil
	}
	t := table{left: 2}
	head := []string{"preset", "recipe", "params", "MACs", "input", "epochs", "wall time", "s / epoch"}
	if val {
		head = append(head, "val accuracy")
	}
	head = append(head, "test accuracy")
	if d2l {
		head = append(head, "d2l (printed)", "margin")
	}
	t.add(head...)
	for _, r := range l.Rows {
		printed, margin := "–", "–"
		if r.D2L != nil {
			printed = fmt.Sprintf("%s %s: %.1f%% / %.1f%%", r.D2L.Family, r.D2L.Section, 100*r.D2L.Printed[0], 100*r.D2L.Printed[1])
			margin = fmt.Sprintf("%+.2f", 100*(r.TestAccuracy-r.D2L.Best()))
		}
		acc := pct(r.TestAccuracy)
		if format == "md" {
			acc = "**" + acc + "**"
		}
		cells := []string{r.Arch, r.Recipe, Group(r.Params), Group(r.MACs), graph.ShapeString(r.Input[:]), fmt.Sprint(r.Epochs),
			Duration(r.Seconds), span(r.EpochSecondsMin, r.EpochSecondsMax)}
		if val {
			v := "–"
			if r.ValAccuracy != nil {
				v = pct(*r.ValAccuracy)
			}
			cells = append(cells, v)
		}
		cells = append(cells, acc)
		if d2l {
			cells = append(cells, printed, margin)
		}
		t.add(cells...)
	}
	if format == "md" && l.Title != "" {
		fmt.Fprintf(w, "%s\n\n", l.Title)
	}
	if err := t.write(w, format); err != nil {
		return err
	}
	if format != "md" {
		return nil
	}
	writeCommands(w, l.Rows)
	if d2l && l.D2L != "" {
		fmt.Fprintf(w, "\nd2l: %s. margin = test accuracy minus the higher of the two printed figures, in points.\n", l.D2L)
	}
	return nil
}

// writeCommands lists the rows' commands, or the one they share.
func writeCommands(w io.Writer, rows []LeaderRow) {
	if shared, ok := sharedCommand(rows); ok {
		fmt.Fprintf(w, "\nEvery row's command: `%s`, with the row's preset.\n", shared)
		return
	}
	fmt.Fprintf(w, "\nCommands:\n\n")
	for _, r := range rows {
		fmt.Fprintf(w, "- `%s`: `%s`\n", r.Arch, r.Command)
	}
}

// sharedCommand is the rows' command with PRESET for the architecture,
// when that is the same for every row (and there are two rows or more).
func sharedCommand(rows []LeaderRow) (string, bool) {
	shared := ""
	for i, r := range rows {
		arg := "-arch " + r.Arch
		if !strings.Contains(r.Command+" ", arg+" ") {
			return "", false
		}
		c := strings.Replace(r.Command+" ", arg+" ", "-arch PRESET ", 1)
		if i > 0 && c != shared {
			return "", false
		}
		shared = c
	}
	return strings.TrimSuffix(shared, " "), len(rows) > 1
}

// span writes a range of seconds, or one figure when both ends round alike.
func span(lo, hi float64) string {
	a, b := fmt.Sprintf("%.0f", lo), fmt.Sprintf("%.0f", hi)
	if a == b {
		return a
	}
	return a + "–" + b
}

// ReadLeaderboard reads a leaderboard written as JSON by Write.
func ReadLeaderboard(path string) (*Leaderboard, error) {
	b, err := safefile.ReadFile(path, "leaderboard file", 64<<20)
	if err != nil {
		return nil, errors.Wrap(err, "leaderboard")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var lb Leaderboard
	if err := dec.Decode(&lb); err != nil {
		return nil, errors.Wrapf(err, "leaderboard %s", path)
	}
	if len(lb.Rows) == 0 {
		return nil, errors.Errorf("leaderboard %s: no rows", path)
	}
	return &lb, nil
}

// Duration writes seconds as "1 h 02 m", "4 m 05 s" or "12 s".
func Duration(s float64) string {
	t := int(math.Round(s))
	switch {
	case t >= 3600:
		return fmt.Sprintf("%d h %02d m", t/3600, t%3600/60)
	case t >= 60:
		return fmt.Sprintf("%d m %02d s", t/60, t%60)
	}
	return fmt.Sprintf("%d s", t)
}
