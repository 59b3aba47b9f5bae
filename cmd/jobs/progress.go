package jobs

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/convnets/convnets/train"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// NewProgress returns how a run shows its progress, as convnets train
// shows it: a live bar on stderr
// when stderr is a terminal, else plain lines on out (every 10 s, none with
// quiet); the epoch lines go to out either way.
func NewProgress(out, stderr io.Writer, quiet bool) train.Progress {
	if f, ok := stderr.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		return &barProgress{out: out, w: f}
	}
	return &train.Lines{W: out, Every: 10 * time.Second, Quiet: quiet}
}

// barProgress draws a tqdm-like bar for the epoch under way.
type barProgress struct {
	out   io.Writer
	w     io.Writer
	bar   *progressbar.ProgressBar
	epoch int
}

func (p *barProgress) Step(s train.StepStats) {
	if p.bar == nil || p.epoch != s.Epoch {
		p.epoch = s.Epoch
		p.bar = progressbar.NewOptions(s.Steps,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetWidth(25),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionShowDescriptionAtLineEnd(),
		)
	}
	p.bar.Describe(fmt.Sprintf("epoch %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  eta %s", s.Epoch, s.Epochs, s.Loss, 100*s.Acc,
		s.ImagesSec, train.FormatDuration(s.ETA)))
	_ = p.bar.Set(s.Pos) // a failed redraw is no reason to stop training
}

func (p *barProgress) Epoch(s train.EpochStats, epochs int) {
	if p.bar != nil {
		_ = p.bar.Clear()
		p.bar = nil
	}
	fmt.Fprintln(p.out, train.EpochLine(s, epochs))
}
