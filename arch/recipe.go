package arch

import (
	"fmt"
	"strconv"
	"strings"
)

// Recipe is the recommended training job for a preset on one dataset: what
// `convnets train -arch NAME -dataset D` uses for every flag not given.
// It is plain data; the values were chosen on a validation split held out
// from the training images, never on the test set (Why says how).
type Recipe struct {
	Dataset string `json:"dataset"`
	// Width is the width multiplier the recipe trains the preset at (0:
	// the preset's own).
	Width       float64 `json:"width,omitempty"`
	Opt         string  `json:"optimizer"`
	LR          float64 `json:"lr"`
	Momentum    float64 `json:"momentum,omitempty"`
	Trust       float64 `json:"trust,omitempty"`
	WeightDecay float64 `json:"weight_decay,omitempty"`
	Schedule    string  `json:"schedule"`
	Warmup      float64 `json:"warmup_epochs,omitempty"`
	Epochs      int     `json:"epochs"`
	Batch       int     `json:"batch"`
	Shift       int     `json:"shift,omitempty"`
	CropPad     int     `json:"crop_pad,omitempty"`
	Flip        bool    `json:"flip,omitempty"`
	Normalize   bool    `json:"normalize,omitempty"`
	// Replicas is the data-parallel replicas (0: the default for the net).
	Replicas int `json:"replicas,omitempty"`
	// Val holds out the last Val training images for validation.
	Val int `json:"val,omitempty"`
	// Why says how the recipe was chosen.
	Why string `json:"why"`
}

// Setting is one command-line flag of a recipe and its value.
type Setting struct{ Flag, Value string }

// Settings returns the recipe as train's flags, in a fixed order.
func (r Recipe) Settings() []Setting {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	out := []Setting{{"opt", r.Opt}, {"lr", f(r.LR)}}
	if r.Momentum != 0 {
		out = append(out, Setting{"momentum", f(r.Momentum)})
	}
	if r.Trust != 0 {
		out = append(out, Setting{"trust", f(r.Trust)})
	}
	out = append(out, Setting{"wd", f(r.WeightDecay)}, Setting{"schedule", r.Schedule}, Setting{"warmup", f(r.Warmup)},
		Setting{"epochs", strconv.Itoa(r.Epochs)}, Setting{"batch", strconv.Itoa(r.Batch)}, Setting{"shift", strconv.Itoa(r.Shift)},
		Setting{"crop-pad", strconv.Itoa(r.CropPad)}, Setting{"flip", strconv.FormatBool(r.Flip)},
		Setting{"normalize", strconv.FormatBool(r.Normalize)}, Setting{"val", strconv.Itoa(r.Val)})
	if r.Replicas != 0 {
		out = append(out, Setting{"replicas", strconv.Itoa(r.Replicas)})
	}
	if r.Width != 0 {
		out = append(out, Setting{"width", f(r.Width)})
	}
	return out
}

// String is the recipe in one line, as flags would give it (defaults left
// out).
func (r Recipe) String() string {
	var parts []string
	if r.Width != 0 {
		parts = append(parts, fmt.Sprintf("width %g", r.Width))
	}
	parts = append(parts, fmt.Sprintf("%s %g", r.Opt, r.LR))
	if r.Momentum != 0 {
		parts[len(parts)-1] += fmt.Sprintf(" momentum %g", r.Momentum)
	}
	if r.Trust != 0 {
		parts[len(parts)-1] += fmt.Sprintf(" (trust %g)", r.Trust)
	}
	if r.WeightDecay != 0 {
		parts = append(parts, fmt.Sprintf("wd %g", r.WeightDecay))
	}
	s := r.Schedule
	if r.Warmup != 0 {
		s += fmt.Sprintf(" after %g warm-up epochs", r.Warmup)
	}
	parts = append(parts, s, fmt.Sprintf("%d epochs", r.Epochs), fmt.Sprintf("batch %d", r.Batch))
	var aug []string
	if r.Shift != 0 {
		aug = append(aug, fmt.Sprintf("shift %d", r.Shift))
	}
	if r.CropPad != 0 {
		aug = append(aug, fmt.Sprintf("crop pad %d", r.CropPad))
	}
	if r.Flip {
		aug = append(aug, "flip")
	}
	if len(aug) == 0 {
		aug = []string{"no augmentation"}
	}
	parts = append(parts, strings.Join(aug, " + "))
	if r.Normalize {
		parts = append(parts, "normalised")
	}
	if r.Replicas != 0 {
		parts = append(parts, fmt.Sprintf("%d replicas", r.Replicas))
	}
	if r.Val != 0 {
		parts = append(parts, fmt.Sprintf("val %d", r.Val))
	}
	return strings.Join(parts, ", ")
}

// Recipe returns the preset's recipe for the dataset, if it has one.
func (s Spec) Recipe(dataset string) (Recipe, bool) {
	for _, r := range s.Recipes {
		if r.Dataset == dataset {
			return r, true
		}
	}
	return Recipe{}, false
}
