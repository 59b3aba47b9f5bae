package jobs_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/onnx"
	G "gorgonia.org/gorgonia"
)

// ortScript is the Node script that runs a model with ONNX Runtime.
var ortScript = filepath.Join("..", "..", "testdata", "onnx", "run_onnx.js")

// needORT skips the test where Node or npm's onnxruntime-node is missing.
func needORT(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node: apt-get install nodejs")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(ortScript), "node_modules", "onnxruntime-node")); err != nil {
		t.Skip("no onnxruntime-node: cd testdata/onnx && npm install onnxruntime-node --onnxruntime-node-install=skip")
	}
}

// userNet is a network of a user's own with every mapped layer kind the
// presets leave out: residual and scaled additions, a subtraction,
// depthwise and dilated convolution, squeeze-and-excitation with a (B, C) gate,
// average pooling with padding, ReLU6, leaky ReLU, SiLU, hard sigmoid and
// hard swish.
func userNet() arch.Spec {
	return arch.Spec{Name: "user-net", Default: arch.Config{Input: [3]int{1, 28, 28}, Classes: 10}, Init: graph.HeNormal,
		Build: func(n *graph.Net, x *graph.Tensor, c arch.Config) *graph.Tensor {
			x = arch.ConvBN(n, "stem", x, 8, graph.K(3), graph.Stride(2), graph.Pad(1))
			x = arch.BasicBlock(n, "res", x, 8, 1)
			x = arch.InvertedResidual(n, "mb", x, 8, 1, 2)
			x = arch.SqueezeExcitation(n, "se", x, 4)
			h := n.Conv("branch", x, 8, graph.K(3), graph.Pad(2), graph.Dilation(2)).LeakyReLU(0.1)
			h = n.Conv("branch/dw", h, 8, graph.K(3), graph.Pad(2, 1), graph.Dilation(2, 1), graph.Groups(8))
			x = n.ScaledAdd("scaled", x, h, 0.3)
			x = n.Sub("sub", x, n.AvgPool("avg", x, 3, 1, 1).SiLU())
			g := n.Dense("gate", n.Flatten("gap/flat", n.GlobalAvgPool("gap", x)), 8).HardSigmoid()
			x = n.Mul("gated", x, g).HardSwish().ReLU6()
			x = n.MaxPool("pool", x, 2, 2, 0)
			return n.Dense("fc", n.Dropout("drop", n.Flatten("flatten", x), 0.2), c.Classes)
		}}
}

// TestONNXRuntime: the ONNX export of each network, run by ONNX Runtime on
// test images, gives convnets' logits within 1e-4 and its predictions.
func TestONNXRuntime(t *testing.T) {
	needORT(t)
	reg, err := arch.Builtin().With(userNet())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"lenet5-relu", "lenet5-bn", "googlenet-mnist", "inception-v3-mnist", "lenet5-1998", "user-net"} {
		spec, _ := reg.Lookup(name)
		job := train.Job{Arch: name, Input: spec.Default.Input, Classes: 10, Width: spec.Default.Width, Epochs: 1, Batch: 16, Seed: 1,
			Opt: train.OptConfig{Name: "adam", LR: 0.003}, Schedule: train.Schedule{Name: "constant"},
			Data: filepath.Join("..", "..", "testdata", "mnist"), LimitTrain: 64, Replicas: 1}
		dir := filepath.Join(t.TempDir(), "run")
		if _, err := jobs.Run(context.Background(), spec, job, dir, jobs.Output{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		model := filepath.Join(t.TempDir(), "m.onnx")
		if _, err := jobs.Export(reg, dir, "final", model); err != nil {
			t.Fatalf("%s: export: %v", name, err)
		}
		m, err := jobs.OpenRun(reg, dir, "final", "")
		if err != nil {
			t.Fatal(err)
		}
		preds, err := train.Predict(m.Program, m.Test) // the sample's 500 test images
		if err != nil {
			t.Fatal(err)
		}
		idx := make([]int, 16)
		for i := range idx {
			idx[i] = i
		}
		m.Test.Fill(m.Program.Input(), make([]int, 16), idx)
		input := append([]float32(nil), m.Program.Input()...)
		if err := m.Program.Forward(); err != nil {
			t.Fatal(err)
		}
		want := append([]float32(nil), m.Program.Logits()...)
		m.Close()

		var raw bytes.Buffer
		binary.Write(&raw, binary.LittleEndian, input)
		in := filepath.Join(t.TempDir(), "in.f32")
		os.WriteFile(in, raw.Bytes(), 0o644)
		c := spec.Default.Input
		out, err := exec.Command("node", ortScript, model, in, "16", strconv.Itoa(c[0]), strconv.Itoa(c[1]), strconv.Itoa(c[2])).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: ONNX Runtime: %v: %s", name, err, out)
		}
		var got struct{ Logits [][]float64 }
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v: %s", name, err, out)
		}
		worst := 0.0
		for i, row := range got.Logits {
			for j, v := range row {
				worst = math.Max(worst, math.Abs(v-float64(want[i*10+j])))
			}
			if argmax(row) != argmax32(want[i*10:(i+1)*10]) {
				t.Errorf("%s: image %d: ONNX Runtime predicts %d, convnets %d", name, i, argmax(row), argmax32(want[i*10:(i+1)*10]))
			}
		}
		if len(got.Logits) != 16 || worst > 1e-4 {
			t.Errorf("%s: %d rows, logits differ by up to %g", name, len(got.Logits), worst)
		}
		c = spec.Default.Input
		out, err = exec.Command("node", filepath.Join(filepath.Dir(ortScript), "eval_onnx.js"), model, job.Data, strconv.Itoa(c[1]), strconv.Itoa(c[2])).CombinedOutput()
		var acc struct{ N, Correct int }
		if err != nil || json.Unmarshal(out, &acc) != nil {
			t.Fatalf("%s: eval_onnx.js: %v: %s", name, err, out)
		}
		if float64(acc.Correct)/float64(acc.N) != preds.Accuracy() || acc.N != 500 {
			t.Errorf("%s: ONNX Runtime %d of %d right on the sample's test images, convnets %.4f", name, acc.Correct, acc.N, preds.Accuracy())
		}
		t.Logf("%s: 16 images, logits within %.2g of convnets'; %d of %d test images right, as convnets", name, worst, acc.Correct, acc.N)
	}
}

func argmax(row []float64) int {
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return best
}

func argmax32(row []float32) int {
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return best
}

// TestONNXUnmapped: a custom layer (any Gorgonia expression) has no ONNX
// mapping: exporting its network is a one-line error naming it, and
// nothing is written.
func TestONNXUnmapped(t *testing.T) {
	custom := arch.Spec{Name: "custom-net", Default: arch.Config{Input: [3]int{1, 28, 28}, Classes: 10},
		Build: func(n *graph.Net, x *graph.Tensor, c arch.Config) *graph.Tensor {
			x = n.Custom("squared", graph.Cost{Other: 784}, func(in ...*G.Node) (*G.Node, error) { return G.HadamardProd(in[0], in[0]) }, x)
			return n.Dense("fc", n.Flatten("flatten", x), c.Classes)
		}}
	reg, err := arch.Builtin().With(custom)
	if err != nil {
		t.Fatal(err)
	}
	job := train.Job{Arch: custom.Name, Input: custom.Default.Input, Classes: 10, Epochs: 1, Batch: 16, Seed: 1,
		Opt: train.OptConfig{Name: "sgd", LR: 0.001}, Schedule: train.Schedule{Name: "constant"},
		Data: filepath.Join("..", "..", "testdata", "mnist"), LimitTrain: 32, LimitTest: 16, Replicas: 1}
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := jobs.Run(context.Background(), custom, job, dir, jobs.Output{}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "m.onnx")
	_, err = jobs.Export(reg, dir, "final", out)
	if err == nil || !strings.Contains(err.Error(), "layer squared (custom): no ONNX mapping") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("export of a custom layer: %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a model was written")
	}
}

// TestONNXEveryPreset: every registered network trained here (the presets
// at MNIST's size) exports, and ONNX's own checker (python3-onnx, with
// shape inference) accepts each model where it is installed.
func TestONNXEveryPreset(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every preset")
	}
	reg := arch.Builtin()
	dir := t.TempDir()
	var paths []string
	for _, name := range reg.Names() {
		spec, _ := reg.Lookup(name)
		if spec.Default.Input[0] != 1 { // the published sizes: cost analysis only
			continue
		}
		net, err := spec.New(spec.Default, graph.Config{Batch: 1})
		if err == nil {
			err = net.Init(1)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := onnx.Export(net, map[string]string{"arch": name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join(dir, name+".onnx")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	if len(paths) < 14 {
		t.Fatalf("%d presets exported", len(paths))
	}
	if exec.Command("/usr/bin/python3", "-c", "import onnx").Run() != nil {
		t.Skip("no python3-onnx for ONNX's checker: apt-get install python3-onnx")
	}
	script := "import onnx, sys\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\n"
	if out, err := exec.Command("/usr/bin/python3", append([]string{"-c", script}, paths...)...).CombinedOutput(); err != nil {
		t.Fatalf("ONNX's checker: %v: %s", err, out)
	}
}
