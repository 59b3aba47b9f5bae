package eval

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/convnets/convnets/graph"
)

// Summary is a network's cost report, read from its ledger. Counts are per
// image.
type Summary struct {
	Arch    string        `json:"arch"`
	Input   []int         `json:"input"`
	Classes int           `json:"classes"`
	Layers  []graph.Layer `json:"layers"`
	graph.Totals
	FLOPs int64 `json:"flops"` // 2 x MACs
}

// Summarize reads the ledger of a built Net.
func Summarize(arch string, n *graph.Net) *Summary {
	c := n.Config()
	rows := n.Ledger()
	t := graph.Sum(rows)
	return &Summary{Arch: arch, Input: c.Input[:], Classes: c.Classes, Layers: rows, Totals: t, FLOPs: 2 * t.MACs}
}

// Write prints the per-layer table and the totals.
func (s *Summary) Write(w io.Writer) error {
	fmt.Fprintf(w, "%s  input %s  classes %d\n\n", s.Arch, graph.ShapeString(s.Input), s.Classes)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layer\tkind\toutput\tparams\tMACs\tother ops\t")
	for _, l := range s.Layers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", l.Name, l.Kind, graph.ShapeString(l.OutShape),
			Group(l.Params+l.NonTrainable), Group(l.MACs), Group(l.Other))
	}
	fmt.Fprintf(tw, "total\t\t\t%s\t%s\t%s\t\n", Group(s.Params+s.NonTrainable), Group(s.MACs), Group(s.Other))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\ntrainable params %s  non-trainable %s  MACs %s  FLOPs (2 x MACs) %s  other ops %s\n"+
		"MACs count convolutions and dense layers only; other ops are pooling, activations, batch norm and additions.\n",
		Group(s.Params), Group(s.NonTrainable), Group(s.MACs), Group(s.FLOPs), Group(s.Other))
	return err
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
