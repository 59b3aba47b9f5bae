package jobs

import (
	"math"
	"testing"
)

// TestMedianResult: rounds combine into each side's median round, their
// ratio and the largest peak memory.
func TestMedianResult(t *testing.T) {
	r := MedianResult([]BenchResult{
		{ImagesPerS: 90, MsPerStep: 11, RSSMB: 40, TorchImagesPerS: 50, TorchMsPerStep: 20},
		{ImagesPerS: 100, MsPerStep: 10, RSSMB: 45, TorchImagesPerS: 80, TorchMsPerStep: 12.5},
		{ImagesPerS: 120, MsPerStep: 8, RSSMB: 42, TorchImagesPerS: 60, TorchMsPerStep: 16},
	})
	if r.ImagesPerS != 100 || r.MsPerStep != 10 || r.TorchImagesPerS != 60 || r.TorchMsPerStep != 16 || r.RSSMB != 45 {
		t.Fatalf("got %+v", r)
	}
	if want := 100.0 / 60; math.Abs(r.Ratio-want) > 1e-12 {
		t.Fatalf("ratio %v, want %v", r.Ratio, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"runs/lenet-1": "runs/lenet-1", "my runs/a": "'my runs/a'", "it's": `'it'\''s'`, "": "''", "a;rm -rf x": "'a;rm -rf x'"} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
