package train

import (
	"fmt"
	"io"
	"time"
)

// Progress is told how a run goes: after every step and at each epoch's
// end. Implementations decide how often to show it (a terminal bar, plain
// lines, nothing).
type Progress interface {
	// Step reports the epoch so far, after each optimizer step.
	Step(s StepStats)
	// Epoch reports a finished epoch of epochs.
	Epoch(s EpochStats, epochs int)
}

// StepStats describe an epoch under way.
type StepStats struct {
	Epoch, Epochs int
	// Pos steps of the epoch's Steps are done.
	Pos, Steps int
	// Loss and Acc are the running means over the epoch's steps so far.
	Loss, Acc float64
	// ImagesSec is the speed since the epoch (or its resumed part) began.
	ImagesSec float64
	// ETA is the time the rest of the epoch should take at that speed.
	ETA time.Duration
}

// Lines is the plain-text Progress, for logs and pipes: a line every Every
// (5 s when zero) within an epoch, unless Quiet, and one line per epoch.
type Lines struct {
	W     io.Writer
	Every time.Duration
	Quiet bool
	last  time.Time
}

// Step prints a progress line when Every has passed since the last one.
func (l *Lines) Step(s StepStats) {
	every := l.Every
	if every == 0 {
		every = 5 * time.Second
	}
	now := time.Now()
	if l.last.IsZero() {
		l.last = now
	}
	if l.Quiet || now.Sub(l.last) < every {
		return
	}
	l.last = now
	fmt.Fprintf(l.W, "  %s\n", StepLine(s))
}

// Epoch prints the epoch's line.
func (l *Lines) Epoch(s EpochStats, epochs int) {
	l.last = time.Time{}
	fmt.Fprintln(l.W, EpochLine(s, epochs))
}

// StepLine formats a step's figures: "epoch 1  step 192/937  loss ...".
func StepLine(s StepStats) string {
	return fmt.Sprintf("epoch %d  step %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  eta %s", s.Epoch, s.Pos, s.Steps, s.Loss,
		100*s.Acc, s.ImagesSec, FormatDuration(s.ETA))
}

// EpochLine formats the one line a finished epoch gets.
func EpochLine(s EpochStats, epochs int) string {
	val := ""
	if s.ValAcc == s.ValAcc { // not NaN
		val = fmt.Sprintf("  val acc %.2f%%", 100*s.ValAcc)
	}
	return fmt.Sprintf("epoch %d/%d  train loss %.4f  train acc %.2f%%%s  test loss %.4f  test acc %.2f%%  %.1f s  %.0f img/s  %.0f MB",
		s.Epoch, epochs, s.TrainLoss, 100*s.TrainAcc, val, s.TestLoss, 100*s.TestAcc, s.Seconds, s.ImagesSec, s.RSSMB)
}

// FormatDuration writes d as m:ss, or h:mm:ss from an hour on.
func FormatDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s < 0 {
		s = 0
	}
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
