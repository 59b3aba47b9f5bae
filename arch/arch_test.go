package arch

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/convnets/convnets/graph"
)

// reference is what PyTorch counts for each architecture at its default
// input (testdata/reference/torch_counts.py: torchvision's own definitions
// where torchvision has the network, independent transcriptions of the
// papers and of d2l otherwise).
type reference struct {
	Params       int64 `json:"params"`
	NonTrainable int64 `json:"non_trainable"`
	MACs         int64 `json:"macs"`
}

// sameAs maps a registry name to the reference it must equal: variants that
// change no count (activation, pooling kind, initialisation).
var sameAs = map[string]string{"lenet5-relu": "lenet5"}

// published are figures printed by the papers and libraries themselves, for
// the names where one is exact.
var published = map[string]reference{
	"lenet5":       {Params: 61_706, MACs: 416_520},         // d2l 7.6
	"lenet5-1998":  {Params: 60_000},                        // LeCun et al. 1998, section II.B
	"alexnet":      {Params: 61_100_840, MACs: 714_188_480}, // torchvision docs
	"alexnet-2gpu": {Params: 60_965_224},                    // Caffe's bvlc_alexnet (the paper's layout)
	"vgg16":        {Params: 138_357_544, MACs: 15_470_264_320},
	"inception-v3": {Params: 23_834_568}, // torchvision's 27,161,264 less the auxiliary head
	// timm's inception_v4 and inception_resnet_v2 (42.68M and 55.84M
	// parameters, 12.28 and 13.18 GMACs as timm's tables round them).
	"inception-v4":        {Params: 42_679_816, MACs: 12_280_000_000},
	"inception-resnet-v2": {Params: 55_843_464, MACs: 13_180_000_000},
}

// roundedMACs names the published figures whose MACs are rounded (and
// counted by another tool): they must agree within 0.5%.
var roundedMACs = map[string]bool{"inception-v4": true, "inception-resnet-v2": true}

func loadReference(t *testing.T) map[string]reference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "reference", "counts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// TestReferenceCounts builds every full-size architecture, and the presets
// that testdata/reference/torch_counts.py transcribes, for its ledger and
// compares its totals with PyTorch's and with the published figures.
func TestReferenceCounts(t *testing.T) {
	ref := loadReference(t)
	r := Builtin()
	for _, name := range r.Names() {
		s, _ := r.Lookup(name)
		key := name
		if k, ok := sameAs[name]; ok {
			key = k
		}
		want, ok := ref[key]
		pub, hasPub := published[name]
		if !ok && !hasPub && strings.HasSuffix(name, "-mnist") {
			continue // a preset that torch_counts.py does not transcribe
		}
		if !ok && !hasPub {
			t.Errorf("%s: no reference count in testdata/reference/counts.json and no published one", name)
			continue
		}
		n, err := s.New(s.Default, graph.Config{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tot := graph.Sum(n.Ledger())
		if ok && (tot.Params != want.Params || tot.NonTrainable != want.NonTrainable || tot.MACs != want.MACs) {
			t.Errorf("%s: %d params, %d non-trainable, %d MACs; PyTorch %d, %d, %d", name,
				tot.Params, tot.NonTrainable, tot.MACs, want.Params, want.NonTrainable, want.MACs)
		}
		if !hasPub {
			continue
		}
		macsOK := pub.MACs == 0 || tot.MACs == pub.MACs
		if roundedMACs[name] {
			macsOK = math.Abs(float64(tot.MACs-pub.MACs)) <= 0.005*float64(pub.MACs)
		}
		if tot.Params != pub.Params || !macsOK {
			t.Errorf("%s: %d params, %d MACs; published %d and %d", name, tot.Params, tot.MACs, pub.Params, pub.MACs)
		}
	}
}

// TestAuxHeads: torchvision's inception_v3 counts 27,161,264 parameters
// with its auxiliary head; GoogLeNet's two heads (on 4a, 512 channels, and
// 4d, 528) each add a 1x1 conv to 128 and dense layers 2048x1024 and
// 1024x1000 with biases.
func TestAuxHeads(t *testing.T) {
	r := Builtin()
	for name, want := range map[string]int64{"inception-v3": 27_161_264, "googlenet": 6_998_552 + (512*128 + 128) + (528*128 + 128) + 2*(2048*1024+1024+1024*1000+1000)} {
		s, _ := r.Lookup(name)
		c := s.Default
		c.Aux = true
		n, err := s.New(c, graph.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := graph.Sum(n.Ledger()).Params; got != want {
			t.Errorf("%s with auxiliary heads: %d params, want %d", name, got, want)
		}
	}
}

// TestSummariesCheap builds every registered architecture for its ledger:
// no weights are allocated, so all of them together stay far under 500 MB.
func TestSummariesCheap(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := Builtin()
	for _, name := range r.Names() {
		s, _ := r.Lookup(name)
		if _, err := s.New(s.Default, graph.Config{}); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 500 {
		t.Fatalf("building every architecture allocated %d MB", mb)
	} else {
		t.Logf("%d architectures built for their ledgers: %d MB allocated in all", len(r.Names()), mb)
	}
}

func TestBuiltinNamesUnique(t *testing.T) {
	var r Registry
	for _, s := range builtins() {
		if err := r.Register(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Register(builtins()[0]); err == nil || !strings.Contains(err.Error(), "registered already") {
		t.Fatalf("duplicate registration: %v", err)
	}
	if _, err := r.Lookup("lenet6"); err == nil || !strings.Contains(err.Error(), "lenet5") {
		t.Fatalf("unknown name: %v", err)
	}
}

// TestLeNetShapes asserts the lecture's stage shapes.
func TestLeNetShapes(t *testing.T) {
	s, _ := Builtin().Lookup("lenet5")
	n, err := s.New(s.Default, graph.Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"c1": "6x28x28", "s2": "6x14x14", "c3": "16x10x10", "s4": "16x5x5", "c5": "120", "f6": "84", "output": "10"}
	for _, l := range n.Ledger() {
		if w, ok := want[l.Name]; ok {
			if got := graph.ShapeString(l.OutShape); got != w {
				t.Errorf("%s: %s, want %s", l.Name, got, w)
			}
			delete(want, l.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("stages missing: %v", want)
	}
}

func TestInputTooSmall(t *testing.T) {
	s, _ := Builtin().Lookup("lenet5")
	_, err := s.New(Config{Input: [3]int{1, 8, 8}, Classes: 10}, graph.Config{})
	if err == nil || !strings.Contains(err.Error(), "1x8x8") || !strings.Contains(err.Error(), "smaller than the kernel") {
		t.Fatalf("got %v", err)
	}
}

// TestOneTrainingStep builds each network made for MNIST (one channel, ten
// classes) at its default input for a batch of 4 and runs one training
// step.
func TestOneTrainingStep(t *testing.T) {
	r := Builtin()
	for _, name := range r.Names() {
		s, _ := r.Lookup(name)
		if s.Default.Input[0] != 1 || s.Default.Classes != 10 {
			continue
		}
		n, err := s.New(s.Default, graph.Config{Batch: 4})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Init(1); err != nil {
			t.Fatal(err)
		}
		p, err := graph.Compile(n)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range p.Input() {
			p.Input()[i] = rng.Float32()
		}
		if err := p.SetLabels([]int{0, 1, 2, 3}); err != nil {
			t.Fatal(err)
		}
		if err := p.Step(rng); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if l := p.Loss(); !(l > 0 && l < 10) {
			t.Errorf("%s: loss %v", name, l)
		}
		p.Close()
	}
}

// TestScalesWithWidth: LeNet-5 ignores the width, the scaled presets follow it.
func TestScalesWithWidth(t *testing.T) {
	for name, want := range map[string]bool{"lenet5": false, "lenet5-bn": false, "vgg11-mnist": true, "vgg11-bn-mnist": true, "googlenet-mnist": true, "inception-bn-mnist": true} {
		spec, err := Builtin().Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := spec.ScalesWithWidth(); err != nil || got != want {
			t.Errorf("%s: ScalesWithWidth %v, %v; want %v", name, got, err, want)
		}
	}
}
