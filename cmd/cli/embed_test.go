package cli_test

import (
	"bytes"
	"context"
	"fmt"
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

// TestArchBlocksThroughTheCLI: arch's ResNet, MobileNet and
// squeeze-and-excitation blocks make a network of one's own in a few lines
// (the README's example), which trains and evaluates through the CLI.
func TestArchBlocksThroughTheCLI(t *testing.T) {
	reg := arch.Builtin()
	err := reg.Register(arch.Spec{
		Name:        "res-mobile-se",
		Description: "a residual block, an inverted residual and a channel gate",
		Default:     arch.Config{Input: [3]int{1, 28, 28}, Classes: 10},
		Init:        graph.HeNormal,
		Build: func(n *graph.Net, x *graph.Tensor, c arch.Config) *graph.Tensor {
			x = arch.ConvBN(n, "stem", x, 16, graph.K(3), graph.Stride(2), graph.Pad(1))
			x = arch.BasicBlock(n, "res1", x, 16, 1)         // two 3x3 conv + BN, identity shortcut
			x = arch.InvertedResidual(n, "mb1", x, 24, 2, 4) // 1x1 expand, 3x3 depthwise, 1x1 project
			x = arch.SqueezeExcitation(n, "se1", x, 8)       // a gate per channel
			return n.Dense("fc", n.Flatten("flatten", n.GlobalAvgPool("gap", x)), c.Classes)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// 3x3x16+32 (stem) + 2x(3x3x16x16+32) (res1) + 16x64+128 + 3x3x64+128 + 64x24+48 (mb1)
	// + 24x8+8 + 8x24+24 (se1) + 24x10+10 (fc)
	want := 3*3*16 + 32 + 2*(3*3*16*16+32) + 16*64 + 128 + 3*3*64 + 128 + 64*24 + 48 + 24*8 + 8 + 8*24 + 24 + 24*10 + 10
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), []string{"summary", "-arch", "res-mobile-se", "-json"}, reg, &out, &errOut); code != 0 {
		t.Fatalf("summary: exit %d %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), fmt.Sprintf(`"params": %d,`, want)) {
		t.Fatalf("summary: want %d params in %s", want, out.String())
	}
	dir := filepath.Join(t.TempDir(), "run")
	sample := filepath.Join("..", "..", "testdata", "mnist")
	for _, args := range [][]string{
		{"train", "-arch", "res-mobile-se", "-data", sample, "-limit-train", "128", "-limit-test", "64", "-epochs", "1", "-batch", "32",
			"-opt", "sgd", "-lr", "0.05", "-out", dir, "-quiet"},
		{"eval", "-run", dir},
	} {
		out.Reset()
		errOut.Reset()
		if code := cli.Main(context.Background(), args, reg, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut.String())
		}
	}
}
