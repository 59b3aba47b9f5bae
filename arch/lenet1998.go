package arch

import (
	"fmt"
	"strings"

	"github.com/convnets/convnets/graph"
)

// c3Table is table I of LeCun et al. 1998: the S2 maps each C3 map is
// connected to (60 connections in all).
var c3Table = [16][]int{
	{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 0}, {5, 0, 1},
	{0, 1, 2, 3}, {1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 5, 0}, {4, 5, 0, 1}, {5, 0, 1, 2},
	{0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5},
	{0, 1, 2, 3, 4, 5},
}

// digitGlyphs are stylised 7x12 images of the digits, the fixed RBF
// prototypes of LeNet-5's output layer ('#' is +1, '.' is -1), drawn after
// the paper's figure 3.
var digitGlyphs = [10]string{
	"..###.. .#...#. #.....# #.....# #.....# #.....# #.....# #.....# #.....# #.....# .#...#. ..###..",
	"...#... ..##... .#.#... ...#... ...#... ...#... ...#... ...#... ...#... ...#... ...#... .#####.",
	"..###.. .#...#. #.....# ......# .....#. ....#.. ...#... ..#.... .#..... #...... #...... #######",
	".#####. #.....# ......# ......# .....#. ..###.. .....#. ......# ......# ......# #.....# .#####.",
	".....#. ....##. ...#.#. ..#..#. .#...#. #....#. ####### .....#. .....#. .....#. .....#. ....###",
	"####### #...... #...... #...... ######. ......# ......# ......# ......# ......# #.....# .#####.",
	"..####. .#..... #...... #...... #.###.. ##...#. #.....# #.....# #.....# #.....# .#...#. ..###..",
	"####### ......# .....#. .....#. ....#.. ....#.. ...#... ...#... ..#.... ..#.... ..#.... ..#....",
	"..###.. .#...#. #.....# #.....# .#...#. ..###.. .#...#. #.....# #.....# #.....# .#...#. ..###..",
	"..###.. .#...#. #.....# #.....# #.....# .#...## ..###.# ......# ......# .....#. ....#.. .###...",
}

// rbfPrototypes turns the glyphs into ten vectors of 84 values.
func rbfPrototypes() [][]float64 {
	out := make([][]float64, len(digitGlyphs))
	for i, g := range digitGlyphs {
		for _, c := range strings.ReplaceAll(g, " ", "") {
			v := -1.0
			if c == '#' {
				v = 1
			}
			out[i] = append(out[i], v)
		}
	}
	return out
}

// LeNet1998 is LeNet-5 as LeCun, Bottou, Bengio & Haffner 1998 describe
// it, at 1x32x32: C1 6@28x28 (5x5), S2 2x2 subsampling with a trainable
// coefficient and bias per map, C3 16@10x10 where each map sees only the S2
// maps of table I, S4 as S2, C5 120 (5x5 over the 5x5 maps), F6 84, and one
// Euclidean RBF unit per class with fixed 7x12 prototypes. Activations are
// the scaled tanh 1.7159 tanh(2a/3). Trainable parameters: 156 + 12 + 1,516
// + 32 + 48,120 + 10,164 = 60,000, as the paper states; the 840 prototype
// values are non-trainable. The paper's training criterion (maximum a
// posteriori with a rejection class) is replaced by softmax cross-entropy
// on the negated RBF distances.
func LeNet1998(n *graph.Net, x *graph.Tensor, c Config) *graph.Tensor {
	x = n.Conv("c1", x, 6, graph.K(5)).ScaledTanh()
	x = n.Scale("s2", n.AvgPool("s2/pool", x, 2, 2, 0)).ScaledTanh()
	maps := make([]*graph.Tensor, len(c3Table))
	for i, inputs := range c3Table {
		name := fmt.Sprintf("c3/map%02d", i)
		maps[i] = n.Conv(name, n.Select(name+"/inputs", x, inputs), 1, graph.K(5))
	}
	x = n.Concat("c3", maps...).ScaledTanh()
	x = n.Scale("s4", n.AvgPool("s4/pool", x, 2, 2, 0)).ScaledTanh()
	x = n.Conv("c5", x, 120, graph.K(5)).ScaledTanh()
	x = n.Dense("f6", n.Flatten("flatten", x), 84).ScaledTanh()
	protos := rbfPrototypes()
	if c.Classes != len(protos) {
		x = n.Dense("output", x, c.Classes) // no prototypes for other class counts
		return x
	}
	return n.RBF("output", x, protos)
}
