package weights

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convnets/convnets/graph"
)

func smallCheckpoint() *Checkpoint {
	return &Checkpoint{
		Meta: Meta{Arch: "tiny", Epoch: 2, Step: 40, Optimizer: "adam", OptSteps: 40, RNG: []byte{1, 2, 3}},
		Tensors: []Tensor{
			{Name: "c/weight", Shape: []int{2, 1, 1, 1}, Data: []float32{0.5, -1.25}},
			{Name: "c/bias", Shape: []int{1, 2, 1, 1}, Data: []float32{3, 4}},
		},
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.ckpt")
	want := smallCheckpoint()
	if err := WriteCheckpoint(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Meta.Arch != "tiny" || got.Meta.Step != 40 || string(got.Meta.RNG) != "\x01\x02\x03" || len(got.Tensors) != 2 {
		t.Fatalf("meta %+v, %d tensors", got.Meta, len(got.Tensors))
	}
	for i, tn := range want.Tensors {
		g := got.Tensors[i]
		if g.Name != tn.Name || !sameShape(g.Shape, tn.Shape) || len(g.Data) != len(tn.Data) {
			t.Fatalf("tensor %d: %+v, want %+v", i, g, tn)
		}
		for j := range tn.Data {
			if g.Data[j] != tn.Data[j] {
				t.Fatalf("%s[%d] = %v, want %v", tn.Name, j, g.Data[j], tn.Data[j])
			}
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("the write left %d files, want only the checkpoint", len(entries))
	}
}

// TestCheckpointCorruption truncates a checkpoint to every length and flips
// every byte: each must be an error naming the file, never a panic.
func TestCheckpointCorruption(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.ckpt")
	if err := WriteCheckpoint(good, smallCheckpoint()); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.ckpt")
	check := func(what string, data []byte) {
		if err := os.WriteFile(bad, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadCheckpoint(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Fatalf("%s: error %v, want one naming %s", what, err, bad)
		}
	}
	for n := 0; n < len(raw); n++ {
		check("truncated", raw[:n])
	}
	for i := range raw {
		flipped := append([]byte(nil), raw...)
		flipped[i] ^= 0x40
		check("flipped", flipped)
	}
	if _, err := ReadCheckpoint(filepath.Join(dir, "missing.ckpt")); err == nil {
		t.Fatal("missing file: no error")
	}
}

func TestLoadIntoMismatch(t *testing.T) {
	n, x := graph.New(graph.Config{Input: [3]int{1, 2, 2}, Classes: 2})
	n.Conv("c", x, 2)
	if err := n.Init(1); err != nil {
		t.Fatal(err)
	}
	ck := smallCheckpoint()
	if err := LoadInto(n, ck, "f.ckpt"); err != nil {
		t.Fatalf("matching checkpoint: %v", err)
	}
	ck.Tensors[1].Shape = []int{2}
	if err := LoadInto(n, ck, "f.ckpt"); err == nil || !strings.Contains(err.Error(), "c/bias has shape [2]") {
		t.Fatalf("shape mismatch: %v", err)
	}
	ck.Tensors = ck.Tensors[:1]
	if err := LoadInto(n, ck, "f.ckpt"); err == nil || !strings.Contains(err.Error(), "no tensor c/bias") {
		t.Fatalf("missing tensor: %v", err)
	}
}

// FuzzReadCheckpoint: arbitrary bytes never panic the reader.
func FuzzReadCheckpoint(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed.ckpt")
	if err := WriteCheckpoint(path, smallCheckpoint()); err != nil {
		f.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	f.Add(raw)
	f.Add([]byte(ckptMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.ckpt")
		os.WriteFile(p, data, 0o644)
		if c, err := ReadCheckpoint(p); err == nil {
			for _, tn := range c.Tensors {
				if int64(len(tn.Data)) != prodInts(tn.Shape) {
					t.Fatalf("tensor %s: %d values for %v", tn.Name, len(tn.Data), tn.Shape)
				}
			}
		}
	})
}

// TestLoadRunWeightsChecksArch: another architecture's checkpoint with the
// same tensors is refused, naming both.
func TestLoadRunWeightsChecksArch(t *testing.T) {
	n, x := graph.New(graph.Config{Input: [3]int{1, 2, 2}, Classes: 2})
	n.Conv("c", x, 2)
	if err := n.Init(1); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "weights.ckpt")
	if err := WriteCheckpoint(path, smallCheckpoint()); err != nil {
		t.Fatal(err)
	}
	if err := LoadRunWeights(n, "tiny", path); err != nil {
		t.Fatalf("same architecture: %v", err)
	}
	if err := LoadRunWeights(n, "tiny-relu", path); err == nil || !strings.Contains(err.Error(), `weights of "tiny", the run's job.json names "tiny-relu"`) {
		t.Fatalf("another architecture: %v", err)
	}
}
