package cli

import (
	"testing"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/jobs"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
)

// FuzzJobToNet: no job file, however made, panics between parsing and a
// built network: a job ParseJob accepts builds (ledger only, no weights) or
// fails with an error.
func FuzzJobToNet(f *testing.F) {
	base := train.Job{Arch: "lenet5", Input: [3]int{1, 28, 28}, Classes: 10, Epochs: 1, Batch: 8, Opt: train.OptConfig{Name: "adam", LR: 0.001}}
	for _, seed := range []string{
		`{"arch": "vgg11-mnist", "input": [1, 32, 32], "width": 0.125}`,
		`{"arch": "vgg11-mnist", "input": [1, 32, 32], "width": 64}`,
		`{"arch": "googlenet-mnist", "input": [3, 7, 7], "classes": 1}`,
		`{"arch": "inception-bn-mnist", "input": [1, 64, 64], "width": 0.01}`,
		`{"arch": "lenet5-relu", "input": [1, 4096, 4096]}`,
		`{"arch": "lenet5-1998", "input": [2, 32, 32], "classes": 3}`,
		`{"arch": "nin-mnist", "input": [1, 1, 1]}`,
		`{"arch": "inception-v3-mnist", "input": [1, 75, 75], "aux": true}`,
	} {
		f.Add([]byte(seed))
	}
	reg := arch.Builtin()
	f.Fuzz(func(t *testing.T, data []byte) {
		job, err := train.ParseJob(data, base)
		if err != nil {
			return
		}
		spec, err := reg.Lookup(job.Arch)
		if err != nil {
			return
		}
		if n, err := spec.New(jobs.Config(job), graph.Config{}); err == nil && n.Err() != nil {
			t.Fatalf("built a net that holds an error: %v", n.Err())
		}
	})
}
