package eval

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// Formats lists the report formats Write accepts.
var Formats = []string{"text", "json", "csv", "md"}

// Write prints c as an aligned text table ("text"), JSON ("json"), CSV
// ("csv") or a Markdown table ("md").
func (c *Comparison) Write(w io.Writer, format string) error {
	header := []string{"name", "output", "params", "MACs", "FLOPs", "other ops", "params ratio", "MACs ratio"}
	timed := false
	for _, r := range c.Rows {
		timed = timed || r.MsPerStep > 0
	}
	if timed {
		header = append(header, "ms/step", "GFLOP/s")
	}
	trained := false
	for _, r := range c.Rows {
		trained = trained || r.Epochs > 0
	}
	if trained {
		header = append(header, "epochs", "test accuracy", "s/epoch")
	}
	header = append(header, "lecture")
	cells := func(r CostRow, group func(int64) string) []string {
		out := []string{r.Name, graph.ShapeString(r.OutShape), group(r.Params), group(r.MACs), group(r.FLOPs), group(r.Other),
			ratioString(r.ParamsRatio), ratioString(r.MACsRatio)}
		if timed {
			ms, gf := "", ""
			if r.MsPerStep > 0 {
				ms, gf = fmt.Sprintf("%.1f", r.MsPerStep), fmt.Sprintf("%.1f", r.GFLOPs)
			}
			out = append(out, ms, gf)
		}
		if trained {
			ep, acc, sec := "", "", ""
			if r.Epochs > 0 {
				ep, acc, sec = strconv.Itoa(r.Epochs), fmt.Sprintf("%.2f%%", 100*r.TestAccuracy), fmt.Sprintf("%.1f", r.SecondsPerEpoch)
			}
			out = append(out, ep, acc, sec)
		}
		return append(out, r.Claim)
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(header)
		for _, r := range c.Rows {
			cw.Write(cells(r, func(v int64) string { return strconv.FormatInt(v, 10) }))
		}
		cw.Flush()
		return cw.Error()
	case "md":
		var b strings.Builder
		fmt.Fprintf(&b, "**%s**\n\n| %s |\n|---|---|%s---|\n", c.Title, strings.Join(header, " | "), strings.Repeat("---:|", len(header)-3))
		for _, r := range c.Rows {
			fmt.Fprintf(&b, "| %s |\n", strings.Join(cells(r, Group), " | "))
		}
		for _, n := range c.Notes {
			fmt.Fprintf(&b, "\n- %s", n)
		}
		if len(c.Notes) > 0 {
			b.WriteString("\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "text", "":
		fmt.Fprintf(w, "%s\n\n", c.Title)
		t := table{left: 2}
		t.add(header...)
		for _, r := range c.Rows {
			t.add(cells(r, Group)...)
		}
		if err := t.write(w); err != nil {
			return err
		}
		for _, n := range c.Notes {
			fmt.Fprintf(w, "\n%s", n)
		}
		if len(c.Notes) > 0 {
			fmt.Fprintln(w)
		}
		return nil
	}
	return errors.Errorf("format %q: want one of %v", format, Formats)
}

func ratioString(r float64) string {
	if math.IsNaN(r) {
		return "-"
	}
	return fmt.Sprintf("%.2fx", r)
}
