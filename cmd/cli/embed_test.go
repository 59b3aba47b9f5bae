package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/cli"
	"github.com/convnets/convnets/graph"
)

// TestOwnNetworkThroughTheCLI: a program of its own registers a network and
// gets the subcommands for it: summary, train, eval, diagram.
func TestOwnNetworkThroughTheCLI(t *testing.T) {
	reg := arch.Builtin()
	err := reg.Register(arch.Spec{
		Name:        "tiny-cnn",
		Description: "one convolution with batch norm and a dense layer",
		Default:     arch.Config{Input: [3]int{1, 28, 28}, Classes: 10},
		Init:        graph.HeNormal,
		Build: func(n *graph.Net, x *graph.Tensor, c arch.Config) *graph.Tensor {
			x = n.BatchNorm("bn1", n.Conv("conv1", x, 4, graph.K(3), graph.Pad(1), graph.NoBias())).ReLU()
			x = n.MaxPool("pool1", x, 4, 4, 0)
			return n.Dense("fc", n.Flatten("flatten", x), c.Classes)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := cli.Main(context.Background(), args, reg, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		return out.String()
	}
	if out := cmd("summary", "-arch", "tiny-cnn"); !strings.Contains(out, "trainable params 2,014") {
		t.Fatalf("summary: %s", out)
	}
	dir := filepath.Join(t.TempDir(), "run")
	sample := filepath.Join("..", "..", "testdata", "mnist")
	cmd("train", "-arch", "tiny-cnn", "-data", sample, "-limit-train", "256", "-limit-test", "64", "-epochs", "1", "-batch", "32", "-out", dir, "-quiet")
	if out := cmd("eval", "-run", dir); !strings.Contains(out, "accuracy") {
		t.Fatalf("eval: %s", out)
	}
	dot := filepath.Join(t.TempDir(), "tiny.dot")
	cmd("diagram", "-arch", "tiny-cnn", "-o", dot)
	if b, err := os.ReadFile(dot); err != nil || !strings.Contains(string(b), "conv1") {
		t.Fatalf("diagram: %v %q", err, b)
	}
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), []string{"summary", "-arch", "tiny-cnn"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "tiny-cnn") {
		t.Fatalf("the built-in registry knows tiny-cnn: exit %d %q", code, errOut.String())
	}
}
