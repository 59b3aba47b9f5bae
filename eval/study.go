package eval

import (
	"fmt"
	"io"
	"math"
	"sort"
)

// SeedRun is one training run of a study arm: its seed, where it is, the
// epoch that validation picked (the last one without a validation split)
// with its validation (0 without a split) and test accuracy, the seconds of
// the whole run and the validation accuracy after each epoch (none without
// a split).
type SeedRun struct {
	Seed     uint64    `json:"seed"`
	Dir      string    `json:"dir"`
	Epoch    int       `json:"picked_epoch"`
	ValAcc   float64   `json:"val_accuracy"`
	TestAcc  float64   `json:"test_accuracy"`
	Seconds  float64   `json:"seconds"`
	ValCurve []float64 `json:"val_curve,omitempty"`
}

// Arm is one network of a study with its runs, one per seed.
type Arm struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Params      int64     `json:"params"`
	MACs        int64     `json:"macs"`
	Epochs      int       `json:"epochs"`
	Recipe      string    `json:"recipe"`
	Runs        []SeedRun `json:"runs"`
	MeanAcc     float64   `json:"mean_test_accuracy"`
	StdAcc      float64   `json:"std_test_accuracy"` // sample standard deviation (n-1); 0 for one run
	MeanSeconds float64   `json:"mean_seconds"`
	// EpochsToGoal is the mean over seeds of the first epoch whose
	// validation accuracy reached the goal; -1 when a seed never did.
	EpochsToGoal float64 `json:"epochs_to_goal,omitempty"`
}

// Aggregate sets the arm's means and standard deviation from its runs, and
// the epochs its runs took to reach goal validation accuracy (0: not
// measured).
func (a *Arm) Aggregate(goal float64) {
	var accs, secs []float64
	for _, r := range a.Runs {
		accs = append(accs, r.TestAcc)
		secs = append(secs, r.Seconds)
	}
	a.MeanAcc, a.StdAcc = MeanStd(accs)
	a.MeanSeconds, _ = MeanStd(secs)
	if goal > 0 {
		var epochs []float64
		for _, r := range a.Runs {
			epochs = append(epochs, EpochsTo(r.ValCurve, goal))
		}
		if a.EpochsToGoal, _ = MeanStd(epochs); math.IsInf(a.EpochsToGoal, 1) {
			a.EpochsToGoal = -1
		}
	}
}

// MeanStd is the mean and the sample standard deviation (n-1 in the
// denominator; 0 for fewer than two values) of xs.
func MeanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return math.NaN(), 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// EpochsTo is the first epoch (counted from 1) whose value reaches goal,
// or +Inf when none does.
func EpochsTo(curve []float64, goal float64) float64 {
	for i, v := range curve {
		if v >= goal {
			return float64(i + 1)
		}
	}
	return math.Inf(1)
}

// Noise is how far apart two arms' mean accuracies may be by the seed
// alone: twice the standard error of the difference of the means (about a
// 95% interval). It is NaN when either arm has a single run.
func Noise(a, b *Arm) float64 {
	if len(a.Runs) < 2 || len(b.Runs) < 2 {
		return math.NaN()
	}
	return 2 * math.Sqrt(a.StdAcc*a.StdAcc/float64(len(a.Runs))+b.StdAcc*b.StdAcc/float64(len(b.Runs)))
}

// Claim kinds: what a claim says of arm A against arm B.
const (
	// ClaimBetter: A is more accurate than B.
	ClaimBetter = "better"
	// ClaimComparable: A is about as accurate as B (not worse beyond the
	// noise) at fewer MACs.
	ClaimComparable = "comparable at lower cost"
	// ClaimFaster: A reaches the goal validation accuracy in fewer epochs.
	ClaimFaster = "faster"
)

// Verdicts.
const (
	Supported    = "supported"
	NotSupported = "not supported"
	WithinNoise  = "within noise"
	Untested     = "untested (one seed: no noise estimate)"
	// OneSeed qualifies a verdict on epochs to the goal that one seed of
	// an arm decided: the seeds' spread of those epochs is unknown.
	OneSeed = " (one seed)"
)

// Claim is one of the lecture's claims about two arms.
type Claim struct {
	Text string `json:"claim"`
	Kind string `json:"kind"`
	A    string `json:"a"`
	B    string `json:"b"`
}

// Verdict is a claim judged on a study's numbers.
type Verdict struct {
	Claim
	Verdict string `json:"verdict"`
	Figures string `json:"figures"`
}

// Judge judges claim c on the arms.
func Judge(c Claim, arms []*Arm) (Verdict, error) {
	a, b := findArm(arms, c.A), findArm(arms, c.B)
	if a == nil || b == nil {
		return Verdict{}, fmt.Errorf("claim %q: no arm %q or %q", c.Text, c.A, c.B)
	}
	v := Verdict{Claim: c}
	d, noise := a.MeanAcc-b.MeanAcc, Noise(a, b)
	accs := fmt.Sprintf("%s %s, %s %s: difference %+.2f points", a.Name, pm(a), b.Name, pm(b), 100*d)
	if !math.IsNaN(noise) {
		accs += fmt.Sprintf(", noise ±%.2f", 100*noise)
	}
	switch c.Kind {
	case ClaimBetter:
		v.Figures = accs
		v.Verdict = compare(d, noise)
	case ClaimComparable:
		ratio := float64(b.MACs) / float64(a.MACs)
		v.Figures = fmt.Sprintf("%s; %s costs %.2fx the MACs of %s", accs, b.Name, ratio, a.Name)
		switch {
		case a.MACs >= b.MACs:
			v.Verdict = NotSupported + " (not cheaper)"
		case math.IsNaN(noise):
			v.Verdict = Untested
		case d < -noise:
			v.Verdict = NotSupported
		default:
			v.Verdict = Supported
		}
	case ClaimFaster:
		v.Figures = fmt.Sprintf("epochs to the goal: %s %s, %s %s; %s", a.Name, epochsString(a.EpochsToGoal), b.Name,
			epochsString(b.EpochsToGoal), accs)
		ea, eb := never(a.EpochsToGoal), never(b.EpochsToGoal)
		switch {
		case ea < eb:
			v.Verdict = Supported
		case ea > eb:
			v.Verdict = NotSupported
		default:
			v.Verdict = WithinNoise
		}
		if len(a.Runs) < 2 || len(b.Runs) < 2 {
			v.Verdict += OneSeed
		}
	default:
		return v, fmt.Errorf("claim %q: unknown kind %q", c.Text, c.Kind)
	}
	return v, nil
}

// compare is the verdict on "more accurate" for a difference d of means.
func compare(d, noise float64) string {
	switch {
	case math.IsNaN(noise):
		return Untested
	case d > noise:
		return Supported
	case d < -noise:
		return NotSupported
	}
	return WithinNoise
}

func findArm(arms []*Arm, name string) *Arm {
	for _, a := range arms {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// pm is an arm's mean accuracy ± its standard deviation, in percent.
func pm(a *Arm) string {
	if len(a.Runs) < 2 {
		return fmt.Sprintf("%.2f%%", 100*a.MeanAcc)
	}
	return fmt.Sprintf("%.2f%% ± %.2f", 100*a.MeanAcc, 100*a.StdAcc)
}

// never reads EpochsToGoal's -1 as +Inf.
func never(e float64) float64 {
	if e < 0 {
		return math.Inf(1)
	}
	return e
}

func epochsString(e float64) string {
	if e < 0 || math.IsInf(e, 1) {
		return "never"
	}
	return fmt.Sprintf("%.1f", e)
}

// NoGain lists the arms whose extra MACs bought no accuracy: for each arm,
// by MACs, the cheapest arm it is not more accurate than beyond the noise
// (or, with one seed, not more accurate than at all), if any.
func NoGain(arms []*Arm) []string {
	sorted := append([]*Arm(nil), arms...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].MACs < sorted[j].MACs })
	var out []string
	for i, dear := range sorted {
		for _, cheap := range sorted[:i] {
			if dear.MACs == cheap.MACs {
				continue
			}
			noise := Noise(dear, cheap)
			if math.IsNaN(noise) {
				noise = 0
			}
			if dear.MeanAcc-cheap.MeanAcc <= noise {
				out = append(out, fmt.Sprintf("%s (%.1fx the MACs of %s) is not more accurate: %s against %s", dear.Name,
					float64(dear.MACs)/float64(cheap.MACs), cheap.Name, pm(dear), pm(cheap)))
				break
			}
		}
	}
	return out
}

// WriteStudyTable prints the arms as a Markdown table.
func WriteStudyTable(w io.Writer, arms []*Arm, goal float64) {
	head := "| network | params | MACs | recipe | epochs | time per run | test accuracy | runs |"
	rule := "|---|---:|---:|---|---:|---:|---:|---:|"
	if goal > 0 {
		head += fmt.Sprintf(" epochs to %.0f%% (validation) |", 100*goal)
		rule += "---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for _, a := range arms {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %d | %s | %s | %d |", a.Name, Group(a.Params), Group(a.MACs), a.Recipe, a.Epochs,
			Duration(a.MeanSeconds), pm(a), len(a.Runs))
		if goal > 0 {
			fmt.Fprintf(w, " %s |", epochsString(a.EpochsToGoal))
		}
		fmt.Fprintln(w)
	}
}
