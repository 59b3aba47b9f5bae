package train

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train/weights"
	"github.com/pkg/errors"
)

// Config is what the loop needs besides the network and the data.
type Config struct {
	Epochs   int
	Opt      OptConfig
	Schedule Schedule
	Seed     uint64
	// Augment is the random augmentation of the training images (the zero
	// value: none).
	Augment Augment
	// Arch is written into checkpoints.
	Arch string
	// Dir is the run directory for checkpoints and metrics.csv; empty
	// writes nothing.
	Dir string
	// Progress is told of every step and epoch; nil is silent.
	Progress Progress
	// Resume continues from a checkpoint written by an earlier Run with the
	// same configuration (its weights are loaded into the Net too).
	Resume *weights.Checkpoint
	// StopAfter, when positive, stops the run (as an interrupt does) once
	// that many steps are done in all: for tests of resumption.
	StopAfter int64
}

// EpochStats are the figures of one epoch. Val* are NaN without a
// validation set.
type EpochStats struct {
	Epoch     int
	Step      int64
	TrainLoss float64
	TrainAcc  float64
	ValLoss   float64
	ValAcc    float64
	TestLoss  float64
	TestAcc   float64
	LR        float64
	Seconds   float64
	ImagesSec float64
	// RSSMB is the process's resident memory at the epoch's end (0 where
	// it cannot be read).
	RSSMB float64
	// Test holds the test-set predictions behind TestAcc (not written to
	// metrics.csv).
	Test *Predictions
}

// ErrInterrupted is returned (wrapped) when the context is cancelled: the
// loop finished its current step and wrote last.ckpt, so the run resumes
// exactly from there.
var ErrInterrupted = errors.New("interrupted")

// File names of a run's checkpoints.
const (
	LastCheckpoint = "last.ckpt"
	BestCheckpoint = "best.ckpt"
)

// Run trains p's Net on trainSet for cfg.Epochs epochs: each epoch a seeded
// shuffle, full batches (the last partial batch of the shuffle is left out
// that epoch), one optimizer step per batch; then evaluation on val (if not
// nil) and test, a report to cfg.Progress, a row of metrics.csv, last.ckpt, and
// best.ckpt when the validation accuracy is the best so far (never chosen
// on the test set). The Net must be initialised. Everything random draws
// from cfg.Seed, so the same call gives the same weights bit for bit, and a
// run resumed from any of its checkpoints ends with the same weights as one
// never stopped.
func Run(ctx context.Context, p *graph.Program, trainSet, val, test *Dataset, cfg Config) ([]EpochStats, error) {
	l, err := newLoop(p, trainSet, cfg)
	if err != nil {
		return nil, err
	}
	if l.metrics != nil {
		defer l.metrics.Close()
	}
	var history []EpochStats
	for ; l.st.Epoch <= cfg.Epochs; l.st.Epoch++ {
		if err := l.trainEpoch(ctx); err != nil {
			return history, err
		}
		st, err := l.endEpoch(val, test)
		if err != nil {
			return history, err
		}
		history = append(history, st)
	}
	return history, nil
}

// loop is one run of the training loop.
type loop struct {
	p        *graph.Program
	data     *Dataset
	cfg      Config
	opt      Optimizer
	params   [][]float32
	pcg      *rand.PCG
	rng      *rand.Rand
	metrics  *metricsWriter
	progress Progress
	st       weights.Meta
	perm     []int
	steps    int   // steps per epoch
	total    int64 // steps in the run
	lr       float64
	start    time.Time
	trainDur time.Duration
	// imagesDone counts the images trained in this process this epoch.
	imagesDone int
	// inEpoch: the epoch's shuffle is drawn and some of its steps may be
	// done (checkpoints then carry the shuffle).
	inEpoch bool
}

func newLoop(p *graph.Program, trainSet *Dataset, cfg Config) (*loop, error) {
	nc := p.Net().Config()
	switch {
	case trainSet.Shape != nc.Input:
		return nil, errors.Errorf("train: dataset %s has images of %v, the network takes %v", trainSet.Name, trainSet.Shape, nc.Input)
	case trainSet.Len() < nc.Batch:
		return nil, errors.Errorf("train: %d training images, fewer than one batch of %d", trainSet.Len(), nc.Batch)
	case cfg.Epochs <= 0:
		return nil, errors.Errorf("train: %d epochs", cfg.Epochs)
	}
	if err := cfg.Schedule.Validate(); err != nil {
		return nil, err
	}
	l := &loop{p: p, data: trainSet, cfg: cfg, params: p.Values(), progress: cfg.Progress, lr: cfg.Opt.LR}
	sizes := make([]int, len(l.params))
	for i, v := range l.params {
		sizes[i] = len(v)
	}
	var err error
	if l.opt, err = NewOptimizer(cfg.Opt, sizes); err != nil {
		return nil, err
	}
	if l.progress == nil {
		l.progress = silent{}
	}
	l.pcg = rand.NewPCG(cfg.Seed, 0x636f6e766e657473) // "convnets"
	l.rng = rand.New(l.pcg)
	l.steps = trainSet.Len() / nc.Batch
	l.total = int64(l.steps * cfg.Epochs)
	l.st = weights.Meta{Arch: cfg.Arch, Epoch: 1, Optimizer: cfg.Opt.Name, BestVal: -1}
	if cfg.Resume != nil {
		if err := l.restore(cfg.Resume); err != nil {
			return nil, err
		}
	}
	if cfg.Dir != "" {
		resumeEpoch := 0
		if cfg.Resume != nil {
			resumeEpoch = l.st.Epoch
		}
		if l.metrics, err = openMetrics(filepath.Join(cfg.Dir, MetricsFile), resumeEpoch); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// trainEpoch runs the remaining steps of the current epoch.
func (l *loop) trainEpoch(ctx context.Context) error {
	nc := l.p.Net().Config()
	b := nc.Batch
	l.start = time.Now()
	if !l.inEpoch {
		l.perm = l.rng.Perm(l.data.Len())
		l.st.Pos, l.st.LossSum, l.st.Correct = 0, 0, 0
		l.inEpoch = true
	}
	labels := make([]int, b)
	done := 0
	// Across processes an interrupt is agreed on in a step's exchange, so
	// that every rank stops after the same step.
	dist := l.p.Distributed()
	for ; l.st.Pos < l.steps; l.st.Pos++ {
		if (!dist && ctx.Err() != nil) || l.p.Stopping() || (l.cfg.StopAfter > 0 && l.st.Step >= l.cfg.StopAfter) {
			return l.interrupt()
		}
		l.p.AskStop(ctx.Err() != nil)
		idx := l.perm[l.st.Pos*b : (l.st.Pos+1)*b]
		l.data.FillAugmented(l.p.Input(), labels, idx, l.cfg.Augment, l.rng)
		if err := l.p.SetLabels(labels); err != nil {
			return err
		}
		if err := l.p.Step(l.rng); err != nil {
			return errors.Wrapf(err, "train: epoch %d step %d", l.st.Epoch, l.st.Step+1)
		}
		loss := l.p.Loss()
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return errors.Errorf("train: loss is %v at epoch %d, step %d: stopped; the last checkpoint is intact; try a lower learning rate",
				loss, l.st.Epoch, l.st.Step+1)
		}
		grads, err := l.p.Grads()
		if err != nil {
			return err
		}
		l.lr = l.cfg.Schedule.Rate(l.cfg.Opt.LR, l.st.Step, int64(l.steps), l.total)
		l.opt.Step(l.params, grads, l.lr)
		l.st.Step++
		l.st.LossSum += loss
		l.st.Correct += countCorrect(l.p.Logits(), labels, nc.Classes)
		done++
		elapsed := time.Since(l.start)
		perStep := elapsed / time.Duration(done)
		l.progress.Step(StepStats{Epoch: l.st.Epoch, Epochs: l.cfg.Epochs, Pos: l.st.Pos + 1, Steps: l.steps,
			Loss: l.st.LossSum / float64(l.st.Pos+1), Acc: float64(l.st.Correct) / float64((l.st.Pos+1)*b),
			ImagesSec: float64(done*b) / elapsed.Seconds(), ETA: perStep * time.Duration(l.steps-l.st.Pos-1)})
	}
	l.trainDur = time.Since(l.start)
	if done == 0 {
		l.trainDur = 0
	}
	l.imagesDone = done * b
	return nil
}

// endEpoch evaluates, logs and checkpoints a finished epoch.
func (l *loop) endEpoch(val, test *Dataset) (EpochStats, error) {
	b := l.p.Net().Config().Batch
	st := EpochStats{Epoch: l.st.Epoch, Step: l.st.Step, TrainLoss: l.st.LossSum / float64(l.steps),
		TrainAcc: float64(l.st.Correct) / float64(l.steps*b), LR: l.lr, ValLoss: math.NaN(), ValAcc: math.NaN()}
	if l.trainDur > 0 {
		st.ImagesSec = float64(l.imagesDone) / l.trainDur.Seconds()
	}
	if val != nil {
		pr, err := Predict(l.p, val)
		if err != nil {
			return st, err
		}
		st.ValLoss, st.ValAcc = pr.Loss, pr.Accuracy()
	}
	pr, err := Predict(l.p, test)
	if err != nil {
		return st, err
	}
	st.TestLoss, st.TestAcc, st.Test = pr.Loss, pr.Accuracy(), pr
	st.Seconds = time.Since(l.start).Seconds()
	st.RSSMB = RSSMB()
	l.progress.Epoch(st, l.cfg.Epochs)
	// The checkpoint describes the start of the next epoch.
	l.inEpoch = false
	l.st.Pos, l.st.LossSum, l.st.Correct = 0, 0, 0
	l.st.Epoch++
	defer func() { l.st.Epoch-- }()
	improved := val != nil && st.ValAcc > l.st.BestVal
	if improved {
		l.st.BestVal = st.ValAcc
	}
	if l.cfg.Dir == "" {
		return st, nil
	}
	if err := l.metrics.Write(st); err != nil {
		return st, err
	}
	// best.ckpt before last.ckpt: a crash between the two then resumes
	// from the older last.ckpt, runs the epoch again and rewrites
	// best.ckpt, where the other order would record the new best in
	// last.ckpt and leave an older best.ckpt for good.
	if improved {
		if err := l.save(BestCheckpoint); err != nil {
			return st, err
		}
	}
	if err := l.save(LastCheckpoint); err != nil {
		return st, err
	}
	return st, nil
}

// interrupt writes last.ckpt at the current step and reports the stop.
func (l *loop) interrupt() error {
	if l.cfg.Dir == "" { // nothing written here (under MPI: a rank but 0, whose rank 0 writes)
		return errors.Wrapf(ErrInterrupted, "train: stopped in epoch %d after step %d; this process writes no checkpoint",
			l.st.Epoch, l.st.Step)
	}
	if err := l.save(LastCheckpoint); err != nil {
		return err
	}
	return errors.Wrapf(ErrInterrupted, "train: stopped in epoch %d after step %d; %s holds the run so far", l.st.Epoch, l.st.Step,
		filepath.Join(l.cfg.Dir, LastCheckpoint))
}

// CheckNewRunDir refuses an existing non-empty folder as a new run's
// directory, so that no earlier run is overwritten.
func CheckNewRunDir(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return errors.Errorf("run directory %s exists and is not empty: choose another -out, or -resume it", dir)
	}
	return nil
}

// MkRunDir creates dir (and parents) for a new run, after CheckNewRunDir.
func MkRunDir(dir string) error {
	if err := CheckNewRunDir(dir); err != nil {
		return err
	}
	return errors.Wrap(os.MkdirAll(dir, 0o755), "run directory")
}

// silent is the Progress that shows nothing.
type silent struct{}

func (silent) Step(StepStats)        {}
func (silent) Epoch(EpochStats, int) {}

func countCorrect(logits []float32, labels []int, k int) int {
	n := 0
	for r, l := range labels {
		if pred, _ := argmaxNLL(logits[r*k:(r+1)*k], l); pred == l {
			n++
		}
	}
	return n
}
