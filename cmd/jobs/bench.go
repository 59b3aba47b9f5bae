package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/datasets"
)

// BenchResult is one benchmark's figures (a line of convnets bench -json).
type BenchResult struct {
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
	// Params is the trainable parameters, checked against PyTorch's network.
	Params int64 `json:"-"`
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
	{"mobilenet-v2-mnist-train", "train", "mobilenet-v2-mnist"},
}

// BenchNames lists the fixed benchmarks' names in the order they run,
// comma-separated.
func BenchNames() string {
	var names []string
	for _, b := range benchKinds {
		names = append(names, b.name)
	}
	return strings.Join(names, ",")
}

// MedianResult combines rounds of one benchmark: convnets' figures from
// its median round (by images/s), PyTorch's from its own median round, the
// ratio of the two, and the largest peak RSS.
func MedianResult(runs []BenchResult) BenchResult {
	byOurs := append([]BenchResult(nil), runs...)
	sort.Slice(byOurs, func(i, j int) bool { return byOurs[i].ImagesPerS < byOurs[j].ImagesPerS })
	r := byOurs[(len(byOurs)-1)/2]
	byTorch := append([]BenchResult(nil), runs...)
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

// resetPeakRSS starts a new peak-RSS measurement (Linux; ignored elsewhere).
// The earlier benchmarks' garbage is returned to the system first, so that
// the peak is this benchmark's own.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// Bench runs one of the fixed benchmarks (see BenchNames) with steps
// timed steps.
func Bench(name string, steps int) (BenchResult, error) {
	resetPeakRSS()
	r := BenchResult{Name: name}
	var times []time.Duration
	var flops int64
	var err error
	for _, b := range benchKinds {
		if b.name != name {
			continue
		}
		switch b.kind {
		case "train":
			times, flops, r.Params, err = benchTrainStep(b.target, 64, steps)
			r.Batch = 64
		case "study":
			times, flops, r.Params, err = benchStudy(b.target, 8, steps)
			r.Batch = 8
		case "network":
			times, flops, r.Params, err = benchNetwork(b.target, 4, steps)
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
	net, p, err := CompileSpec(spec, spec.Default, batch, 1, -1)
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

// BenchEpoch trains spec for one epoch on MNIST (batch 64, Adam) and
// reports the training speed (the test pass is left out of the time).
func BenchEpoch(ctx context.Context, spec arch.Spec, dir string) (BenchResult, error) {
	resetPeakRSS()
	r := BenchResult{Name: "epoch-" + spec.Name, Batch: 64}
	d, err := datasets.Load(train.Job{Dataset: datasets.Default, Data: dir, LimitTest: r.Batch}, "")
	if err == nil {
		d, err = d.Fit(spec.Default.Input)
	}
	if err != nil {
		return r, err
	}
	net, p, err := CompileSpec(spec, spec.Default, r.Batch, 1, -1)
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

// TorchResult is what testdata/reference/torch_bench.py prints for one
// model.
type TorchResult struct {
	ImagesPerS float64 `json:"images_per_s"`
	MsPerStep  float64 `json:"ms_per_step"`
	Params     int64   `json:"params"`
}

// TorchBaseline runs the PyTorch script (testdata/reference/torch_bench.py)
// for model at batch with 2 threads, with Debian's /usr/bin/python3.
func TorchBaseline(ctx context.Context, script, model string, batch int) (TorchResult, error) {
	var r TorchResult
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

// BenchSelect is the fixed benchmarks that the comma-separated list
// names, in the fixed order (small work first, so that each peak RSS is
// its own).
func BenchSelect(list string) ([]string, error) {
	asked := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if !strings.Contains(","+BenchNames()+",", ","+n+",") {
			return nil, InputError{fmt.Errorf("-only %q: benchmarks are %s", n, strings.ReplaceAll(BenchNames(), ",", ", "))}
		}
		asked[n] = true
	}
	var names []string
	for _, b := range benchKinds {
		if asked[b.name] {
			names = append(names, b.name)
		}
	}
	return names, nil
}

// Presets is the registered networks that the comma-separated list names,
// or every -mnist preset for "all".
func Presets(reg *arch.Registry, list string) ([]arch.Spec, error) {
	var out []arch.Spec
	if list == "all" {
		for _, name := range reg.Names() {
			if strings.HasSuffix(name, "-mnist") {
				s, _ := reg.Lookup(name)
				out = append(out, s)
			}
		}
		return out, nil
	}
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		s, err := reg.Lookup(n)
		if err != nil {
			return nil, InputError{err}
		}
		out = append(out, s)
	}
	return out, nil
}

// BenchOptions are how RunBench measures.
type BenchOptions struct {
	// Steps is the timed steps per benchmark (the median is reported);
	// Rounds how often each benchmark runs (medians of the rounds).
	Steps, Rounds int
	// Torch is the path of testdata/reference/torch_bench.py: with it,
	// PyTorch runs the same work after each round.
	Torch string
	// Data is the MNIST folder for the epochs of the presets ("": the
	// GoMNIST module's copy).
	Data string
}

// Check refuses steps or rounds below one.
func (o BenchOptions) Check() error {
	if o.Steps <= 0 || o.Rounds <= 0 {
		return InputError{fmt.Errorf("-steps %d, -rounds %d: must be positive", o.Steps, o.Rounds)}
	}
	return nil
}

// RunBench runs the fixed benchmarks names (see BenchSelect), each o.Rounds
// times and against PyTorch with o.Torch, then one training epoch on MNIST
// of each of presets, and passes each result to emit as it comes.
func RunBench(ctx context.Context, names []string, presets []arch.Spec, o BenchOptions, emit func(BenchResult) error) error {
	if err := o.Check(); err != nil {
		return err
	}
	for _, name := range names {
		var runs []BenchResult
		for i := 0; i < o.Rounds; i++ {
			r, err := Bench(name, o.Steps)
			if err != nil {
				return fmt.Errorf("bench %s: %w", name, err)
			}
			if o.Torch != "" {
				t, err := TorchBaseline(ctx, o.Torch, name, r.Batch)
				if err != nil {
					return err
				}
				if t.Params != r.Params {
					return fmt.Errorf("bench %s: PyTorch's network has %d trainable parameters, convnets' %d: not the same work", name, t.Params, r.Params)
				}
				r.TorchImagesPerS, r.TorchMsPerStep = t.ImagesPerS, t.MsPerStep
			}
			runs = append(runs, r)
		}
		if err := emit(MedianResult(runs)); err != nil {
			return err
		}
	}
	for _, spec := range presets {
		r, err := BenchEpoch(ctx, spec, o.Data)
		if err != nil {
			return fmt.Errorf("bench epoch-%s: %w", spec.Name, err)
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}
