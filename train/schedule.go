package train

import (
	"math"

	"github.com/pkg/errors"
)

// Schedule sets the learning rate for each step.
type Schedule struct {
	// Name is "constant", "step" or "cosine"; empty means constant.
	Name string `json:"name"`
	// Warmup is the number of epochs over which the rate rises linearly
	// from near zero to the base rate (0: none).
	Warmup float64 `json:"warmup_epochs,omitempty"`
	// StepEvery and Gamma: "step" multiplies the rate by Gamma every
	// StepEvery epochs (defaults 0.1 and a third of the run).
	StepEvery int     `json:"step_every,omitempty"`
	Gamma     float64 `json:"gamma,omitempty"`
}

// Validate checks the schedule's fields.
func (s Schedule) Validate() error {
	switch s.Name {
	case "", "constant", "step", "cosine":
	default:
		return errors.Errorf("schedule %q: want constant, step or cosine", s.Name)
	}
	if !(s.Warmup >= 0) || math.IsInf(s.Warmup, 0) || s.StepEvery < 0 || !(s.Gamma >= 0) || math.IsInf(s.Gamma, 0) {
		return errors.Errorf("schedule: warm-up %v, step %d and gamma %v must not be negative", s.Warmup, s.StepEvery, s.Gamma)
	}
	return nil
}

// Rate returns the learning rate at step (counted from 0) of a run of total
// steps, stepsPerEpoch to an epoch, with base rate base.
func (s Schedule) Rate(base float64, step, stepsPerEpoch, total int64) float64 {
	warm := int64(s.Warmup * float64(stepsPerEpoch))
	if step < warm {
		return base * float64(step+1) / float64(warm)
	}
	switch s.Name {
	case "step":
		every, gamma := int64(s.StepEvery), s.Gamma
		if every == 0 {
			every = max(1, total/stepsPerEpoch/3)
		}
		if gamma == 0 {
			gamma = 0.1
		}
		return base * math.Pow(gamma, float64(step/stepsPerEpoch/every))
	case "cosine":
		span := total - warm
		if span <= 0 {
			return base
		}
		return base * 0.5 * (1 + math.Cos(math.Pi*float64(step-warm)/float64(span)))
	}
	return base
}
