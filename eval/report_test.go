package eval_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func inceptionReport(t *testing.T) *eval.Comparison {
	t.Helper()
	var entries []eval.Entry
	for _, b := range arch.InceptionStudy() {
		layers, out, err := b.Ledger(arch.InceptionStudyInput)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, eval.Entry{Name: b.Name, Description: b.Description, OutShape: out, Layers: layers})
	}
	c, err := eval.InceptionReport(arch.InceptionStudyInput, entries)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestInceptionFigures: the lecture's block against pure 3x3 and 5x5
// convolutions, weights only, counted from the graphs.
func TestInceptionFigures(t *testing.T) {
	c := inceptionReport(t)
	want := map[string][2]int64{
		"inception": {163_328, 128_049_152},
		"conv3x3":   {442_368, 346_816_512},
		"conv5x5":   {1_228_800, 963_379_200},
		// 192*64 + 192*128*9 + 192*32*25 weights, each over 28x28 outputs.
		"naive": {387_072, 303_464_448},
	}
	rows := map[string]eval.CostRow{}
	for _, r := range c.Rows {
		rows[r.Name] = r
	}
	for name, w := range want {
		r, ok := rows[name]
		if !ok || r.Params != w[0] || r.MACs != w[1] {
			t.Errorf("%s: %d params, %d MACs; want %d and %d", name, r.Params, r.MACs, w[0], w[1])
		}
	}
	if r := rows["conv3x3"]; r.MACsRatio < 2.705 || r.MACsRatio > 2.715 {
		t.Errorf("conv3x3 ratio %.3f, want 2.71", r.MACsRatio)
	}
	if r := rows["conv5x5"]; r.MACsRatio < 7.515 || r.MACsRatio > 7.525 {
		t.Errorf("conv5x5 ratio %.3f, want 7.52", r.MACsRatio)
	}
	var branches int64
	for i := 1; i <= 4; i++ {
		branches += rows["inception/branch"+string(rune('0'+i))].MACs
	}
	if branches != rows["inception"].MACs {
		t.Errorf("branches add to %d MACs, the block has %d", branches, rows["inception"].MACs)
	}
}

// TestFormulaAgreesWithLedger: the lecture's formula against the graph's
// count for the naive block, exactly, and for a single conv.
func TestFormulaAgreesWithLedger(t *testing.T) {
	c := inceptionReport(t)
	var naive int64
	for _, r := range c.Rows {
		if r.Name == "naive" {
			naive = r.MACs
		}
	}
	if got := eval.FormulaMACs(192, 28, 28, eval.Kernel{K: 1, Out: 64}, eval.Kernel{K: 3, Out: 128}, eval.Kernel{K: 5, Out: 32}); got != naive {
		t.Fatalf("formula %d, ledger %d", got, naive)
	}
	n, x := graph.New(graph.Config{Input: [3]int{7, 9, 11}, Classes: 1})
	n.Conv("c", x, 5, graph.K(3), graph.Pad(1))
	if got, ledger := eval.FormulaMACs(7, 9, 11, eval.Kernel{K: 3, Out: 5}), graph.Sum(n.Ledger()).MACs; got != ledger {
		t.Fatalf("3x3 conv: formula %d, ledger %d", got, ledger)
	}
	if !strings.Contains(strings.Join(c.Notes, " "), "(equal)") {
		t.Fatalf("the report does not say the formula agrees: %v", c.Notes)
	}
}

func lenetAlexNet(t *testing.T) *eval.Comparison {
	t.Helper()
	r := arch.Builtin()
	var entries []eval.Entry
	for _, name := range []string{"lenet5", "alexnet-d2l"} {
		s, _ := r.Lookup(name)
		n, err := s.New(s.Default, graph.Config{})
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, eval.Entry{Name: name, OutShape: []int{s.Default.Classes}, Layers: n.Ledger()})
	}
	return eval.ArchReport(entries)
}

// TestGolden compares each report, in every format, with its golden file
// in testdata/golden; go test ./eval -update rewrites them.
func TestGolden(t *testing.T) {
	reports := map[string]*eval.Comparison{"compare_inception": inceptionReport(t), "compare_lenet5_alexnet-d2l": lenetAlexNet(t)}
	for name, c := range reports {
		for _, format := range eval.Formats {
			var b bytes.Buffer
			if err := c.Write(&b, format); err != nil {
				t.Fatal(err)
			}
			ext := map[string]string{"text": "txt"}[format]
			if ext == "" {
				ext = format
			}
			path := filepath.Join("..", "testdata", "golden", name+"."+ext)
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./eval -update)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from %s; if the change is meant, run go test ./eval -update\n%s", name, path, b.String())
			}
		}
		var back eval.Comparison
		var b bytes.Buffer
		c.Write(&b, "json")
		if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Rows) != len(c.Rows) {
			t.Errorf("%s: JSON does not parse back: %v", name, err)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := inceptionReport(t).Write(&bytes.Buffer{}, "xml"); err == nil {
		t.Fatal("format xml accepted")
	}
}
