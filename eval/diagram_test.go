package eval_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
)

// TestDiagram: GoogLeNet's block 3a is a cluster inside its stage with its
// four branches as clusters side by side, fed by the stem's last pool with
// 192x28x28 on each edge, and conv + ReLU drawn as one box.
func TestDiagram(t *testing.T) {
	spec, err := arch.Builtin().Lookup("googlenet")
	if err != nil {
		t.Fatal(err)
	}
	net, err := spec.New(spec.Default, graph.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := eval.Summarize("googlenet", net).WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	dot := b.String()
	for _, want := range []string{
		`digraph "googlenet" {`,
		`subgraph "cluster_b3/inception3a" {`,
		`subgraph "cluster_b3/inception3a/branch1" {`,
		`subgraph "cluster_b3/inception3a/branch4" {`,
		`"stem/pool2" -> "inception3a/branch1/conv1x1" [label=" 192x28x28"];`,
		`"stem/pool2" -> "inception3a/branch4/pool" [label=" 192x28x28"];`,
		`"inception3a/branch3/conv5x5" -> "inception3a/concat" [label=" 32x28x28"];`,
		`"inception3a/concat" -> "inception3b/branch1/conv1x1" [label=" 256x28x28"];`,
		`"inception3a/branch3/conv5x5" [label="conv5x5\nconv 5x5 pad 2 + relu"];`,
		`"input" -> "stem/conv1" [label=" 3x224x224"];`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("diagram lacks %s", want)
		}
	}
	if strings.Contains(dot, `"inception3a/branch1/conv1x1/relu"`) {
		t.Error("the ReLU after a conv has a box of its own")
	}
	if n, m := strings.Count(dot, "{"), strings.Count(dot, "}"); n != m {
		t.Errorf("%d { and %d }", n, m)
	}
}
