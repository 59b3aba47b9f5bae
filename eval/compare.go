package eval

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/convnets/convnets/graph"
)

// Entry is one network or block of a comparison: its name and its ledger.
type Entry struct {
	Name        string
	Description string
	OutShape    []int
	Layers      []graph.Layer
}

// CostRow is a comparison's row: totals read from a ledger (or the sum of
// some of its rows), with ratios to the comparison's first row.
type CostRow struct {
	Name         string  `json:"name"`
	Description  string  `json:"description,omitempty"`
	OutShape     []int   `json:"out_shape,omitempty"`
	Params       int64   `json:"params"`
	NonTrainable int64   `json:"non_trainable"`
	MACs         int64   `json:"macs"`
	FLOPs        int64   `json:"flops"`
	Other        int64   `json:"other_ops"`
	ParamsRatio  float64 `json:"params_ratio"`
	MACsRatio    float64 `json:"macs_ratio"`
	// Claim is what the lecture says of this row, when it says something.
	Claim string `json:"lecture,omitempty"`
	// Training results (compare -train): final test accuracy and mean
	// seconds per epoch.
	Epochs          int     `json:"epochs,omitempty"`
	TestAccuracy    float64 `json:"test_accuracy,omitempty"`
	SecondsPerEpoch float64 `json:"seconds_per_epoch,omitempty"`
	// Measured forward and backward time (see SetTime).
	Batch     int     `json:"batch,omitempty"`
	MsPerStep float64 `json:"ms_per_step,omitempty"`
	GFLOPs    float64 `json:"gflops,omitempty"`
}

// SetTime records the median time of a forward and backward step at batch
// size batch, and the achieved GFLOP/s for flops per image (see
// graph.StepFLOPs: the forward pass, the weight gradient and the input
// gradient each cost 2 x MACs, less the input gradient of the first convs).
func (r *CostRow) SetTime(batch int, median time.Duration, flops int64) {
	r.Batch = batch
	r.MsPerStep = float64(median.Microseconds()) / 1000
	if median > 0 {
		r.GFLOPs = float64(flops) * float64(batch) / median.Seconds() / 1e9
	}
}

// Comparison is a table of cost rows with notes.
type Comparison struct {
	Title string    `json:"title"`
	Input []int     `json:"input,omitempty"`
	Rows  []CostRow `json:"rows"`
	Notes []string  `json:"notes,omitempty"`
}

// rowOf totals layers into a row.
func rowOf(name, desc string, out []int, layers []graph.Layer) CostRow {
	t := graph.Sum(layers)
	return CostRow{Name: name, Description: desc, OutShape: out, Params: t.Params, NonTrainable: t.NonTrainable,
		MACs: t.MACs, FLOPs: 2 * t.MACs, Other: t.Other}
}

// Compare makes a comparison of whole entries, ratios against the first.
func Compare(title string, input []int, entries []Entry) *Comparison {
	c := &Comparison{Title: title, Input: input}
	for _, e := range entries {
		c.Rows = append(c.Rows, rowOf(e.Name, e.Description, e.OutShape, e.Layers))
	}
	c.ratios()
	return c
}

// ratios fills ParamsRatio and MACsRatio against the first row.
func (c *Comparison) ratios() {
	if len(c.Rows) == 0 {
		return
	}
	base := c.Rows[0]
	for i := range c.Rows {
		c.Rows[i].ParamsRatio = ratio(c.Rows[i].Params, base.Params)
		c.Rows[i].MACsRatio = ratio(c.Rows[i].MACs, base.MACs)
	}
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// Stages groups a ledger's rows by stage (the first part of each layer's
// name) in order of first appearance: the per-stage rows of a summary.
func Stages(layers []graph.Layer) []CostRow {
	var order []string
	groups := map[string][]graph.Layer{}
	for _, l := range layers {
		s := l.Stage()
		if _, ok := groups[s]; !ok {
			order = append(order, s)
		}
		groups[s] = append(groups[s], l)
	}
	out := make([]CostRow, len(order))
	for i, s := range order {
		g := groups[s]
		out[i] = rowOf(s, "", g[len(g)-1].OutShape, g)
	}
	return out
}

// Branches groups the rows of a block's ledger whose names start with
// prefix+"/branchN/" by N: an Inception block's per-branch costs.
func Branches(prefix string, layers []graph.Layer) []CostRow {
	groups := map[string][]graph.Layer{}
	for _, l := range layers {
		rest, ok := strings.CutPrefix(l.Name, prefix+"/")
		if !ok || !strings.HasPrefix(rest, "branch") {
			continue
		}
		b, _, _ := strings.Cut(rest, "/")
		groups[b] = append(groups[b], l)
	}
	names := make([]string, 0, len(groups))
	for b := range groups {
		names = append(names, b)
	}
	sort.Strings(names)
	out := make([]CostRow, len(names))
	for i, b := range names {
		g := groups[b]
		out[i] = rowOf(prefix+"/"+b, describeBranch(g), g[len(g)-1].OutShape, g)
	}
	return out
}

// describeBranch lists a branch's layers that cost something: "reduce
// (conv), conv3x3 (conv)".
func describeBranch(layers []graph.Layer) string {
	var parts []string
	for _, l := range layers {
		if l.Kind == graph.KindConv || l.Kind == graph.KindMaxPool || l.Kind == graph.KindAvgPool {
			parts = append(parts, fmt.Sprintf("%s %s", l.Name[strings.LastIndex(l.Name, "/")+1:], graph.ShapeString(l.OutShape)))
		}
	}
	return strings.Join(parts, ", ")
}

// Kernel is one parallel kernel of a block in the lecture's formula: a
// K x K convolution with Out output channels.
type Kernel struct {
	K, Out int
}

// FormulaMACs is the lecture's count for a block of parallel kernels on a
// C_in x H x W input (stride 1, "same" padding):
// C_in * W * H * sum_j K_j^2 * C_out,j.
func FormulaMACs(cin, h, w int, kernels ...Kernel) int64 {
	var s int64
	for _, k := range kernels {
		s += int64(k.K*k.K) * int64(k.Out)
	}
	return int64(cin) * int64(h) * int64(w) * s
}

// FormulaString writes the formula with its numbers.
func FormulaString(cin, h, w int, kernels ...Kernel) string {
	terms := make([]string, len(kernels))
	for i, k := range kernels {
		terms[i] = fmt.Sprintf("%d^2*%d", k.K, k.Out)
	}
	return fmt.Sprintf("%d*%d*%d*(%s) = %s", cin, w, h, strings.Join(terms, " + "), Group(FormulaMACs(cin, h, w, kernels...)))
}
