package eval

import (
	"fmt"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// InceptionReport is the lecture's table for GoogLeNet's first Inception
// block at input (192x28x28): entries must hold "inception", "conv3x3",
// "conv5x5" and "naive" (and may hold more, such as Inception v3's
// factorisations), built without biases. Ratios are against the Inception
// block; the lecture's rounded claims stand beside the exact figures, the
// Inception block's per-branch costs follow, and the notes check the
// lecture's formula against the ledger.
func InceptionReport(input [3]int, entries []Entry) (*Comparison, error) {
	byName := map[string]Entry{}
	for _, e := range entries {
		byName[e.Name] = e
	}
	for _, need := range []string{"inception", "conv3x3", "conv5x5", "naive"} {
		if _, ok := byName[need]; !ok {
			return nil, errors.Errorf("eval: inception report: no entry %q", need)
		}
	}
	ordered := []Entry{byName["inception"]}
	for _, e := range entries {
		if e.Name != "inception" {
			ordered = append(ordered, e)
		}
	}
	c := Compare(fmt.Sprintf("The first Inception block (GoogLeNet 3a) against plain convolutions, %s input, weights only",
		graph.ShapeString(input[:])), input[:], ordered)
	claims := map[string]string{
		"inception": "0.16M params, 128M MACs",
		"conv3x3":   "about 3x the Inception block",
		"conv5x5":   "about 8x the Inception block",
	}
	for i := range c.Rows {
		c.Rows[i].Claim = claims[c.Rows[i].Name]
	}
	branches := Branches("inception", byName["inception"].Layers)
	for i := range branches {
		branches[i].ParamsRatio = ratio(branches[i].Params, c.Rows[0].Params)
		branches[i].MACsRatio = ratio(branches[i].MACs, c.Rows[0].MACs)
	}
	c.Rows = append(c.Rows, branches...)

	cin, h, w := input[0], input[1], input[2]
	naiveKernels := []Kernel{{1, 64}, {3, 128}, {5, 32}}
	naiveLedger := graph.Sum(byName["naive"].Layers).MACs
	formula := FormulaMACs(cin, h, w, naiveKernels...)
	agree := "equal"
	if formula != naiveLedger {
		agree = fmt.Sprintf("DIFFERENT by %s", Group(naiveLedger-formula))
	}
	incep := graph.Sum(byName["inception"].Layers).MACs
	c.Notes = []string{
		"MACs count multiply-accumulates of convolutions only (FLOPs = 2 x MACs); other ops are the ReLUs and the max pooling.",
		fmt.Sprintf("The lecture's formula C_in*W*H * sum_j K_j^2*C_out,j for the naive block: %s; the ledger: %s (%s).",
			FormulaString(cin, h, w, naiveKernels...), Group(naiveLedger), agree),
		fmt.Sprintf("For the real block the same formula still gives %s, but the ledger gives %s: the 1x1 reductions feed the 3x3 and "+
			"5x5 with 96 and 16 channels instead of 192, and the pool branch is projected to 32 channels, at the price of the "+
			"reductions' own 1x1 costs.", Group(formula), Group(incep)),
	}
	if d, a := c.find("v3-double3x3"), c.find("v3-asymmetric"); d != nil && a != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("Inception v3's factorisations of the same block: the 5x5 as two 3x3 costs %.2fx the block's MACs "+
			"(here the second 3x3 maps 32 channels to 32, so the pair costs more than the 5x5 from 16 to 32: the paper's 28%% saving "+
			"assumes equal widths); every n x n as 1 x n then n x 1 costs %.2fx.", d.MACsRatio, a.MACsRatio))
	}
	if r := c.find("conv3x3"); r != nil {
		c.Notes = append(c.Notes, fmt.Sprintf("The lecture's \"about 3x\" and \"about 8x\" are %.2fx and %.2fx in MACs (%.2fx and %.2fx in parameters).",
			r.MACsRatio, c.find("conv5x5").MACsRatio, r.ParamsRatio, c.find("conv5x5").ParamsRatio))
	}
	return c, nil
}

func (c *Comparison) find(name string) *CostRow {
	for i := range c.Rows {
		if c.Rows[i].Name == name {
			return &c.Rows[i]
		}
	}
	return nil
}

// alexnetClaims is the lecture's AlexNet table (at 3x224x224), by stage.
var alexnetClaims = map[string]string{
	"conv1":   "35K params, 101M MACs",
	"conv2":   "614K params, 415M MACs",
	"conv3-5": "3M params, 445M MACs",
	"dense1":  "26M params",
	"dense2":  "16M params",
	"total":   "about 46M params, 1G MACs",
}

// ArchReport compares whole networks: a row per network with ratios to the
// first, then each network's stages with their totals. For the lecture's
// AlexNet (a network whose stages are named conv1 ... conv5, dense1, dense2)
// it adds the conv3-5 row and the lecture's rounded claims.
func ArchReport(entries []Entry) *Comparison {
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name
	}
	c := Compare(fmt.Sprintf("%v: parameters and MACs per image", names), nil, entries)
	c.Rows = c.Rows[:0]
	for _, e := range entries {
		total := rowOf(e.Name, e.Description, e.OutShape, e.Layers)
		stages := Stages(e.Layers)
		lecture := isLectureAlexNet(stages)
		if lecture {
			total.Claim = alexnetClaims["total"]
		}
		c.Rows = append(c.Rows, total)
		var conv35 []graph.Layer
		for _, s := range stages {
			if s.Params == 0 && s.MACs == 0 {
				continue // pooling, flatten, activations alone: in the totals' other ops
			}
			s.Name = e.Name + "/" + s.Name
			if lecture {
				s.Claim = alexnetClaims[s.Name[len(e.Name)+1:]]
			}
			c.Rows = append(c.Rows, s)
		}
		if lecture {
			for _, l := range e.Layers {
				if st := l.Stage(); st == "conv3" || st == "conv4" || st == "conv5" {
					conv35 = append(conv35, l)
				}
			}
			r := rowOf(e.Name+"/conv3-5", "conv3 + conv4 + conv5", nil, conv35)
			r.Claim = alexnetClaims["conv3-5"]
			c.Rows = append(c.Rows, r)
		}
	}
	base := c.Rows[0]
	for i := range c.Rows {
		c.Rows[i].ParamsRatio = ratio(c.Rows[i].Params, base.Params)
		c.Rows[i].MACsRatio = ratio(c.Rows[i].MACs, base.MACs)
	}
	c.Notes = append(c.Notes, fmt.Sprintf("Ratios are against %s's totals.", entries[0].Name))
	for i, e := range entries {
		if i > 0 {
			t, b := graph.Sum(e.Layers), graph.Sum(entries[0].Layers)
			c.Notes = append(c.Notes, fmt.Sprintf("%s has %s the parameters and %s the MACs of %s.", e.Name,
				ratioWords(ratio(t.Params, b.Params)), ratioWords(ratio(t.MACs, b.MACs)), entries[0].Name))
		}
		if isLectureAlexNet(Stages(e.Layers)) {
			t := graph.Sum(e.Layers)
			c.Notes = append(c.Notes, fmt.Sprintf("The lecture's \"about 46M parameters\" counts a 10-class output layer (d2l "+
				"trains it on Fashion-MNIST); with %d classes the graph gives %s parameters and %s MACs, %s of the parameters in the output layer.",
				e.OutShape[len(e.OutShape)-1], Group(t.Params), Group(t.MACs), Group(lastDense(e.Layers))))
		}
	}
	return c
}

func isLectureAlexNet(stages []CostRow) bool {
	have := map[string]bool{}
	for _, s := range stages {
		have[s.Name] = true
	}
	return have["conv1"] && have["conv5"] && have["dense1"] && have["dense2"]
}

func lastDense(layers []graph.Layer) int64 {
	for i := len(layers) - 1; i >= 0; i-- {
		if layers[i].Kind == graph.KindDense {
			return layers[i].Params
		}
	}
	return 0
}
