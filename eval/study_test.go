package eval

import (
	"math"
	"strings"
	"testing"
)

// arm is an arm with one run per test accuracy.
func arm(name string, macs int64, accs ...float64) *Arm {
	a := &Arm{Name: name, MACs: macs}
	for i, acc := range accs {
		a.Runs = append(a.Runs, SeedRun{Seed: uint64(i + 1), TestAcc: acc, Seconds: 10})
	}
	a.Aggregate(0)
	return a
}

// TestMeanStd: the sample standard deviation (n-1), by hand.
func TestMeanStd(t *testing.T) {
	m, s := MeanStd([]float64{0.90, 0.92, 0.94})
	if math.Abs(m-0.92) > 1e-12 || math.Abs(s-0.02) > 1e-12 {
		t.Fatalf("mean %v std %v, want 0.92 and 0.02", m, s)
	}
	if m, s := MeanStd([]float64{0.5}); m != 0.5 || s != 0 {
		t.Fatalf("one value: %v %v", m, s)
	}
	if EpochsTo([]float64{0.5, 0.79, 0.8, 0.9}, 0.8) != 3 || !math.IsInf(EpochsTo([]float64{0.5}, 0.8), 1) {
		t.Fatal("EpochsTo")
	}
}

// TestJudge: each kind of claim gives each verdict on fixed numbers.
func TestJudge(t *testing.T) {
	// noise: 2*sqrt(0.01^2/3 + 0.01^2/3) = 0.01633
	inc := arm("inception", 100, 0.90, 0.91, 0.92)
	near := arm("conv3x3", 300, 0.905, 0.915, 0.925) // 0.5 points better: within noise
	worse := arm("conv5x5", 800, 0.86, 0.87, 0.88)   // 4 points worse
	better := arm("wide", 300, 0.95, 0.96, 0.97)     // 5 points better
	single := arm("once", 50, 0.9)
	arms := []*Arm{inc, near, worse, better, single}
	for _, c := range []struct {
		claim Claim
		want  string
		figs  string
	}{
		{Claim{"x", ClaimBetter, "inception", "conv5x5"}, Supported, "difference +4.00 points, noise ±1.63"},
		{Claim{"x", ClaimBetter, "inception", "wide"}, NotSupported, "difference -5.00 points"},
		{Claim{"x", ClaimBetter, "inception", "conv3x3"}, WithinNoise, "inception 91.00% ± 1.00"},
		{Claim{"x", ClaimComparable, "inception", "conv3x3"}, Supported, "conv3x3 costs 3.00x the MACs of inception"},
		{Claim{"x", ClaimComparable, "inception", "wide"}, NotSupported, "wide costs 3.00x"},
		{Claim{"x", ClaimComparable, "conv5x5", "inception"}, NotSupported + " (not cheaper)", ""},
		{Claim{"x", ClaimBetter, "once", "inception"}, Untested, "once 90.00%,"},
	} {
		v, err := Judge(c.claim, arms)
		if err != nil {
			t.Fatal(err)
		}
		if v.Verdict != c.want || !strings.Contains(v.Figures, c.figs) {
			t.Errorf("%s %s %s: %q, %q; want %q with %q", c.claim.A, c.claim.Kind, c.claim.B, v.Verdict, v.Figures, c.want, c.figs)
		}
	}
	if _, err := Judge(Claim{"x", ClaimBetter, "inception", "nope"}, arms); err == nil {
		t.Fatal("a claim on a missing arm judged")
	}
}

// TestFasterAndNoGain: epochs to a goal, and costlier arms that buy nothing.
func TestFasterAndNoGain(t *testing.T) {
	bn := &Arm{Name: "bn", MACs: 10, Runs: []SeedRun{{ValCurve: []float64{0.7, 0.85}}, {ValCurve: []float64{0.81, 0.9}}}}
	plain := &Arm{Name: "plain", MACs: 10, Runs: []SeedRun{{ValCurve: []float64{0.5, 0.6}}, {ValCurve: []float64{0.5, 0.82}}}}
	bn.Aggregate(0.8)
	plain.Aggregate(0.8)
	if bn.EpochsToGoal != 1.5 || plain.EpochsToGoal != -1 {
		t.Fatalf("epochs to 80%%: %v and %v, want 1.5 and -1 (never, for one seed)", bn.EpochsToGoal, plain.EpochsToGoal)
	}
	v, err := Judge(Claim{"x", ClaimFaster, "bn", "plain"}, []*Arm{bn, plain})
	if err != nil || v.Verdict != Supported || !strings.Contains(v.Figures, "plain never") {
		t.Fatalf("%+v %v", v, err)
	}
	// One seed of an arm: the verdict says so.
	one := &Arm{Name: "one", MACs: 10, Runs: bn.Runs[:1]}
	one.Aggregate(0.8)
	if v, err := Judge(Claim{"x", ClaimFaster, "one", "plain"}, []*Arm{one, plain}); err != nil || v.Verdict != Supported+OneSeed {
		t.Fatalf("one seed: %+v %v, want %q", v, err, Supported+OneSeed)
	}
	small, big := arm("small", 10, 0.90, 0.91), arm("big", 100, 0.905, 0.915)
	if got := NoGain([]*Arm{big, small}); len(got) != 1 || !strings.Contains(got[0], "big (10.0x the MACs of small) is not more accurate") {
		t.Fatalf("NoGain: %q", got)
	}
	// One line per costlier arm, against the cheapest it does not beat.
	mid, top := arm("mid", 20, 0.95, 0.96), arm("top", 200, 0.90, 0.90)
	got := NoGain([]*Arm{top, big, mid, small})
	want := []string{"big (10.0x the MACs of small)", "top (20.0x the MACs of small)"}
	if len(got) != len(want) {
		t.Fatalf("NoGain: %q, want lines for %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("NoGain line %d: %q, want %q...", i, got[i], want[i])
		}
	}
}
