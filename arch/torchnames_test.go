package arch_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train/weights"
)

// TestTorchvisionStateNames: ResNet and MobileNet export exactly the names
// and shapes of torchvision's state_dict (testdata/reference/torch_state.py),
// so load_state_dict(strict=True) takes convnets' weights.
func TestTorchvisionStateNames(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates ResNet-50's weights")
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "reference", "torch_state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][][2]json.RawMessage
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for name, entries := range want {
		spec, err := arch.Builtin().Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		net, err := spec.New(spec.Default, graph.Config{Batch: 1})
		if err == nil {
			err = net.Init(1)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		state, err := weights.TorchState(net)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		have := map[string]string{}
		for _, ts := range state {
			have[ts.Name] = fmt.Sprint(ts.Shape)
		}
		for _, e := range entries {
			var key string
			var shape []int
			if json.Unmarshal(e[0], &key) != nil || json.Unmarshal(e[1], &shape) != nil {
				t.Fatalf("%s: bad entry %s", name, e)
			}
			if shape == nil {
				shape = []int{}
			}
			got, ok := have[key]
			if !ok {
				t.Errorf("%s: torchvision's %s %v is not in convnets' export", name, key, shape)
				continue
			}
			if got != fmt.Sprint(shape) {
				t.Errorf("%s: %s is %s, torchvision's %v", name, key, got, shape)
			}
			delete(have, key)
		}
		for key, shape := range have {
			t.Errorf("%s: convnets exports %s %s, which torchvision's model lacks", name, key, shape)
		}
	}
}
