package weights_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/weights"
)

// TestTorchLayout: names with dots, conv weights [out, in, kh, kw], dense
// weights [out, in], biases and batch-norm tensors as vectors.
func TestTorchLayout(t *testing.T) {
	net := newNet(t, train.Job{Arch: "lenet5-bn", Input: [3]int{1, 28, 28}, Classes: 10, Batch: 2})
	if err := net.Init(1); err != nil {
		t.Fatal(err)
	}
	ts, err := weights.TorchState(net)
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string][]int{}
	for _, x := range ts {
		shapes[x.Name] = x.Shape
	}
	want := map[string][]int{
		"c1.weight": {6, 1, 5, 5}, "c1.bias": {6}, "c5.weight": {120, 400}, "c5.bias": {120}, "output.weight": {10, 84},
		"c1.bn.weight": {6}, "c1.bn.bias": {6}, "c1.bn.running_mean": {6}, "c1.bn.running_var": {6}, "f6.bn.running_var": {84},
	}
	for name, s := range want {
		if got, ok := shapes[name]; !ok || fmt.Sprint(got) != fmt.Sprint(s) {
			t.Errorf("%s: shape %v (present %v), want %v", name, got, ok, s)
		}
	}
	// The dense weight is the transpose of convnets' (in, out) one.
	state, _ := weights.NetTensors(net)
	var in []float32
	for _, s := range state {
		if s.Name == "c5/weight" {
			in = s.Data
		}
	}
	var out []float32
	for _, x := range ts {
		if x.Name == "c5.weight" {
			out = x.Data
		}
	}
	for _, ij := range [][2]int{{0, 0}, {3, 7}, {399, 119}, {17, 100}} {
		i, j := ij[0], ij[1] // input i, output j
		if in[i*120+j] != out[j*400+i] {
			t.Fatalf("c5 weight (%d, %d) is not transposed", i, j)
		}
	}
}

// TestTorchRoundTrip: PyTorch-layout tensors loaded into a net initialised
// otherwise give the same weights; a missing, misshapen or extra tensor is
// refused with its name.
func TestTorchRoundTrip(t *testing.T) {
	j := train.Job{Arch: "lenet5-bn", Input: [3]int{1, 28, 28}, Classes: 10, Batch: 2}
	a, b := newNet(t, j), newNet(t, j)
	if err := a.Init(1); err != nil {
		t.Fatal(err)
	}
	if err := b.Init(2); err != nil {
		t.Fatal(err)
	}
	ts, err := weights.TorchState(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := weights.LoadTorchState(b, ts, "m.safetensors"); err != nil {
		t.Fatal(err)
	}
	ha, _ := weights.Hash(a)
	hb, _ := weights.Hash(b)
	if ha != hb {
		t.Fatal("weights differ after the round trip")
	}
	drop := append([]weights.Tensor{}, ts[1:]...)
	bad := append([]weights.Tensor{}, ts...)
	bad[2] = weights.Tensor{Name: bad[2].Name, Shape: []int{1, 2}, Data: []float32{1, 2}}
	extra := append(append([]weights.Tensor{}, ts...), weights.Tensor{Name: "fc9.weight", Shape: []int{1}, Data: []float32{0}})
	for name, c := range map[string]struct {
		ts   []weights.Tensor
		want string
	}{
		"missing": {drop, "m.safetensors: no tensor " + ts[0].Name},
		"shape":   {bad, "tensor " + ts[2].Name + " has shape [1 2]"},
		"extra":   {extra, "tensor fc9.weight is not part of the network"},
	} {
		if err := weights.LoadTorchState(b, c.ts, "m.safetensors"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
	}
}

// newNet builds the job's network.
func newNet(t *testing.T, j train.Job) *graph.Net {
	t.Helper()
	spec, err := arch.Builtin().Lookup(j.Arch)
	if err != nil {
		t.Fatal(err)
	}
	net, err := spec.New(arch.Config{Input: j.Input, Classes: j.Classes, Width: j.Width}, graph.Config{Batch: j.Batch})
	if err != nil {
		t.Fatal(err)
	}
	return net
}
