package train

import (
	"math"
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
		// Sizes past the bounds are refused before anything is allocated.
		`{"shift": 4611686018427387904}`:                                `"shift" is 4611686018427387904`,
		`{"shift": -1}`:                                                 `"shift" is -1`,
		`{"batch": 9223372036854775807}`:                                `"batch" is 9223372036854775807`,
		`{"batch": 65536, "input": [3, 4096, 4096]}`:                    `"batch" is 65536`,
		`{"classes": 100000000}`:                                        `"classes" is 100000000`,
		`{"batch": 65536, "classes": 1048576}`:                          `"batch" is 65536`,
		`{"input": [1, 100000, 100000]}`:                                `"input" is [1 100000 100000]`,
		`{"input": [100000, 28, 28]}`:                                   `"input" is [100000 28 28]`,
		`{"width": 1e300}`:                                              `"width" is 1e+300`,
		`{"epochs": 1073741824}`:                                        `"epochs" is 1073741824`,
		`{"batch": 8, "replicas": 16}`:                                  `"replicas" is 16`,
		`{"optimizer": {"name": "sgd", "lr": 0.1, "momentum": 1}}`:      "momentum 1",
		`{"optimizer": {"name": "sgd", "lr": 0.1, "weight_decay": -1}}`: "weight decay -1",
		`{"optimizer": {"name": "adam", "lr": 0.1, "eps": -1}}`:         "epsilon -1",
		`{"optimizer": {"name": "adam", "lr": 0.1, "beta1": 1}}`:        "betas 1",
		`{"schedule": {"name": "step", "gamma": -2}}`:                   "gamma -2",
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

// TestJobRefusesNaNAndInf: a NaN or an infinity (which JSON cannot carry,
// but flags and Go callers can) is refused by Validate, naming the setting,
// not later when job.json is written.
func TestJobRefusesNaNAndInf(t *testing.T) {
	base := Job{Arch: "lenet5", Input: [3]int{1, 28, 28}, Classes: 10, Epochs: 1, Batch: 8, Opt: OptConfig{Name: "sgd", LR: 0.001}}
	nan, inf := math.NaN(), math.Inf(1)
	for name, edit := range map[string]func(*Job){
		"width":         func(j *Job) { j.Width = nan },
		"learning rate": func(j *Job) { j.Opt.LR = inf },
		"momentum":      func(j *Job) { j.Opt.Momentum = nan },
		"weight decay":  func(j *Job) { j.Opt.WeightDecay = inf },
		"trust":         func(j *Job) { j.Opt.Name, j.Opt.Trust = "lars", nan },
		"betas":         func(j *Job) { j.Opt.Name, j.Opt.Beta1 = "adam", nan },
		"epsilon":       func(j *Job) { j.Opt.Name, j.Opt.Eps = "adam", inf },
		"warm-up":       func(j *Job) { j.Schedule.Warmup = nan },
		"gamma":         func(j *Job) { j.Schedule.Gamma = inf },
	} {
		j := base
		edit(&j)
		if err := j.Validate(); err == nil || !strings.Contains(err.Error(), strings.Fields(name)[0]) {
			t.Errorf("%s: %v, want an error naming it", name, err)
		}
	}
}
