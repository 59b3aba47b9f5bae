package train

import (
	"strings"
	"testing"
)

func TestParseJob(t *testing.T) {
	base := Job{Arch: "lenet5", Input: [3]int{1, 28, 28}, Classes: 10, Epochs: 1, Batch: 8, Opt: OptConfig{Name: "adam", LR: 0.001}}
	j, err := ParseJob([]byte(`{"epochs": 3, "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}, "schedule": {"name": "step"}}`), base)
	if err != nil || j.Epochs != 3 || j.Opt.Name != "sgd" || j.Batch != 8 || j.Schedule.Name != "step" {
		t.Fatalf("%+v, %v", j, err)
	}
	for doc, want := range map[string]string{
		`{"epoch": 3}`: `unknown field "epoch"`,
		`{"batch": 0}`: `"batch" is 0`,
		`{"optimizer": {"name": "rms", "lr": 1}}`: `optimizer "rms"`,
		`{"schedule": {"name": "linear"}}`:        `schedule "linear"`,
		`{"epochs": "three"}`:                     "cannot unmarshal",
		`{"epochs": 2} {}`:                        "after the JSON",
		`[`:                                       "unexpected EOF",
	} {
		if _, err := ParseJob([]byte(doc), base); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", doc, err, want)
		}
	}
}

// FuzzParseJob: no input panics the job parser, and what it accepts
// validates.
func FuzzParseJob(f *testing.F) {
	base := Job{Arch: "lenet5", Input: [3]int{1, 28, 28}, Classes: 10, Epochs: 1, Batch: 8, Opt: OptConfig{Name: "adam", LR: 0.001}}
	f.Add([]byte(`{"epochs": 3, "optimizer": {"name": "sgd", "lr": 0.1}}`))
	f.Add([]byte(`{"input": [1, 32, 32], "width": 0.5, "schedule": {"name": "cosine", "warmup_epochs": 1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if j, err := ParseJob(data, base); err == nil {
			if err := j.Validate(); err != nil {
				t.Fatalf("accepted a job that does not validate: %v", err)
			}
		}
	})
}
