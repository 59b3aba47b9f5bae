package eval

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/convnets/convnets/graph"
)

// Summary is a network's cost report, read from its ledger. Counts are per
// image.
type Summary struct {
	Arch    string        `json:"arch"`
	Input   []int         `json:"input"`
	Classes int           `json:"classes"`
	Layers  []graph.Layer `json:"layers"`
	// Stages totals the layers by the first part of their names (GoogLeNet's
	// stem, inception3a, ...; VGG's block1 ...).
	Stages []CostRow `json:"stages"`
	graph.Totals
	FLOPs int64 `json:"flops"` // 2 x MACs
	// Timing, when measured (summary -time): see CostRow.SetTime.
	Timing *CostRow `json:"timing,omitempty"`
	// GradRatios, when measured (summary -grads): |grad|/|w| of each weight
	// after one training step from initialisation, input side first.
	GradRatios []graph.GradRatio `json:"grad_ratios,omitempty"`
	// GradBatch is the batch GradRatios were measured at.
	GradBatch int `json:"grad_batch,omitempty"`
}

// Summarize reads the ledger of a built Net.
func Summarize(arch string, n *graph.Net) *Summary {
	c := n.Config()
	rows := n.Ledger()
	t := graph.Sum(rows)
	return &Summary{Arch: arch, Input: c.Input[:], Classes: c.Classes, Layers: rows, Stages: Stages(rows), Totals: t, FLOPs: 2 * t.MACs}
}

// Write prints the per-layer table, the stages and the totals as text,
// JSON, CSV (the layer rows only) or Markdown.
func (s *Summary) Write(w io.Writer, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	num := numberFormat(format)
	t := table{left: 4}
	t.add("layer", "kind", "stage", "output", "params", "non-trainable", "MACs", "other ops")
	for _, l := range s.Layers {
		t.add(l.Name, string(l.Kind), l.Stage(), graph.ShapeString(l.OutShape), num(l.Params), num(l.NonTrainable), num(l.MACs), num(l.Other))
	}
	if format == "csv" {
		return t.write(w, format)
	}
	t.add("total", "", "", "", num(s.Params), num(s.NonTrainable), num(s.MACs), num(s.Other))
	title := fmt.Sprintf("%s  input %s  classes %d", s.Arch, graph.ShapeString(s.Input), s.Classes)
	if format == "md" {
		title = "**" + title + "**"
	}
	fmt.Fprintf(w, "%s\n\n", title)
	if err := t.write(w, format); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nstages:\n\n")
	st := table{left: 2}
	st.add("stage", "output", "params", "non-trainable", "MACs", "other ops")
	for _, r := range s.Stages {
		st.add(r.Name, graph.ShapeString(r.OutShape), num(r.Params), num(r.NonTrainable), num(r.MACs), num(r.Other))
	}
	if err := st.write(w, format); err != nil {
		return err
	}
	notes := []string{fmt.Sprintf("trainable params %s  non-trainable %s  MACs %s  FLOPs (2 x MACs) %s  other ops %s",
		Group(s.Params), Group(s.NonTrainable), Group(s.MACs), Group(s.FLOPs), Group(s.Other)),
		"MACs count convolutions and dense layers only; other ops are pooling, activations, batch norm and additions."}
	if s.Timing != nil {
		notes = append(notes, fmt.Sprintf("measured: %.1f ms per forward and backward step at batch %d (%.0f images/s), %.1f GFLOP/s (2 x MACs per pass of each conv and dense layer)",
			s.Timing.MsPerStep, s.Timing.Batch, float64(s.Timing.Batch)/s.Timing.MsPerStep*1000, s.Timing.GFLOPs))
	}
	if len(s.GradRatios) > 0 {
		lo, hi := graph.RatioExtremes(s.GradRatios)
		notes = append(notes, fmt.Sprintf("gradient/weight norm after one training step from initialisation (batch %d, random input): largest %.3g (%s), smallest %.3g (%s), %.0fx apart (-json lists every weight)",
			s.GradBatch, hi.Ratio, hi.Param, lo.Ratio, lo.Param, hi.Ratio/lo.Ratio))
	}
	return writeNotes(w, format, notes)
}

// Group writes n with thousands separators: 61,706.
func Group(n int64) string {
	s := fmt.Sprint(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// PlotRows are the rows a summary's chart shows: every layer with
// parameters or MACs when there are at most max of them, else the stages.
func (s *Summary) PlotRows(max int) []CostRow {
	var rows []CostRow
	for _, l := range s.Layers {
		if l.Params > 0 || l.MACs > 0 {
			rows = append(rows, rowOf(l.Name, string(l.Kind), l.OutShape, []graph.Layer{l}))
		}
	}
	if len(rows) > max {
		return s.Stages
	}
	return rows
}
