package jobs

import (
	"fmt"
	"io"
	"strconv"
)

// WriteBenchTable prints the results as a plain-text table, with the
// ratio against PyTorch when torch is set.
func WriteBenchTable(w io.Writer, rs []BenchResult, torch bool) {
	fmt.Fprintf(w, "%-28s %6s %12s %11s %9s %8s", "benchmark", "batch", "images/s", "ms/step", "GFLOP/s", "RSS MB")
	if torch {
		fmt.Fprintf(w, " %15s %13s %7s", "PyTorch img/s", "PyTorch ms", "ratio")
	}
	fmt.Fprintln(w)
	for _, r := range rs {
		fmt.Fprintf(w, "%-28s %6d %12.1f %11.2f %9.1f %8.0f", r.Name, r.Batch, r.ImagesPerS, r.MsPerStep, r.GFLOPs, r.RSSMB)
		if torch && r.TorchImagesPerS > 0 {
			fmt.Fprintf(w, " %15.1f %13.2f %6.2fx", r.TorchImagesPerS, r.TorchMsPerStep, r.Ratio)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\nms/step: median; GFLOP/s counts 2 x MACs per image for each pass of each conv and dense layer (forward, weight gradient,\n"+
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
	"mobilenet-v2-mnist-train": "the MobileNetV2 preset's training step with Adam (depthwise convolutions)",
}

// WriteBenchMarkdown prints the results as a Markdown table (medians of
// rounds rounds).
func WriteBenchMarkdown(w io.Writer, rs []BenchResult, torch bool, rounds int) {
	head := "| benchmark | batch | convnets images/s | ms / step | GFLOP/s | peak RSS MB |"
	rule := "|---|---:|---:|---:|---:|---:|"
	if torch {
		head += " PyTorch images/s | PyTorch ms / step | convnets / PyTorch |"
		rule += "---:|---:|---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for _, r := range rs {
		name := "`" + r.Name + "`"
		if what := benchWhat[r.Name]; what != "" {
			name += ": " + what
		}
		fmt.Fprintf(w, "| %s | %d | %s | %.2f | %.1f | %.0f |", name, r.Batch, groupDigits(r.ImagesPerS), r.MsPerStep, r.GFLOPs, r.RSSMB)
		if torch {
			if r.TorchImagesPerS > 0 {
				fmt.Fprintf(w, " %s | %.2f | **%.2fx** |", groupDigits(r.TorchImagesPerS), r.TorchMsPerStep, r.Ratio)
			} else {
				fmt.Fprint(w, " – | – | – |")
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nMedians of %d round(s), each the median of its timed steps; GFLOP/s counts 2 x MACs per image for each pass of each conv and dense layer.\n", rounds)
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
