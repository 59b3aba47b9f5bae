package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/convnets/convnets/graph"
)

// Formats lists the report formats Write accepts.
var Formats = []string{"text", "json", "csv", "md"}

// Write prints c as an aligned text table ("text"), JSON ("json"), CSV
// ("csv") or a Markdown table ("md").
func (c *Comparison) Write(w io.Writer, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	timed, trained := false, false
	for _, r := range c.Rows {
		timed = timed || r.MsPerStep > 0
		trained = trained || r.Epochs > 0
	}
	t := table{left: 2}
	header := []string{"name", "output", "params", "MACs", "FLOPs", "other ops", "params ratio", "MACs ratio"}
	if timed {
		header = append(header, "ms/step", "GFLOP/s")
	}
	if trained {
		header = append(header, "epochs", "test accuracy", "s/epoch")
	}
	t.add(append(header, "lecture")...)
	num := numberFormat(format)
	for _, r := range c.Rows {
		row := []string{r.Name, graph.ShapeString(r.OutShape), num(r.Params), num(r.MACs), num(r.FLOPs), num(r.Other),
			ratioString(r.ParamsRatio), ratioString(r.MACsRatio)}
		if timed {
			ms, gf := "", ""
			if r.MsPerStep > 0 {
				ms, gf = fmt.Sprintf("%.1f", r.MsPerStep), fmt.Sprintf("%.1f", r.GFLOPs)
			}
			row = append(row, ms, gf)
		}
		if trained {
			ep, acc, sec := "", "", ""
			if r.Epochs > 0 {
				ep, acc, sec = strconv.Itoa(r.Epochs), fmt.Sprintf("%.2f%%", 100*r.TestAccuracy), fmt.Sprintf("%.1f", r.SecondsPerEpoch)
			}
			row = append(row, ep, acc, sec)
		}
		t.add(append(row, r.Claim)...)
	}
	switch format {
	case "md":
		fmt.Fprintf(w, "**%s**\n\n", c.Title)
	case "text", "":
		fmt.Fprintf(w, "%s\n\n", c.Title)
	}
	if err := t.write(w, format); err != nil {
		return err
	}
	return writeNotes(w, format, c.Notes)
}

// writeNotes ends a text or Markdown report with its notes (CSV has none).
func writeNotes(w io.Writer, format string, notes []string) error {
	if format == "csv" || len(notes) == 0 {
		return nil
	}
	prefix := ""
	if format == "md" {
		prefix = "- "
	}
	var b strings.Builder
	for _, n := range notes {
		fmt.Fprintf(&b, "\n%s%s", prefix, n)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func ratioString(r float64) string {
	if math.IsNaN(r) {
		return "-"
	}
	return fmt.Sprintf("%.2fx", r)
}

// ratioWords is a ratio for a sentence: whole numbers from 10 up ("758x"),
// two decimals down to 0.1 ("0.47x"), a fraction below ("1/758"), never a
// "0x" that is not zero.
func ratioWords(r float64) string {
	switch {
	case r >= 9.5:
		return fmt.Sprintf("%.0fx", r)
	case r >= 0.1 || r <= 0 || math.IsNaN(r):
		return ratioString(r)
	}
	return fmt.Sprintf("1/%.0f", 1/r)
}

// pct prints a fraction as a percentage with two decimals.
func pct(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }
