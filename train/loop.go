package train

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// Config is what the loop needs besides the network and the data.
type Config struct {
	Epochs   int
	Opt      OptConfig
	Schedule Schedule
	Seed     uint64
	// Shift moves each training image by up to Shift pixels per axis, at
	// random (0: no augmentation).
	Shift int
	// Arch is written into checkpoints.
	Arch string
	// Dir is the run directory for checkpoints and metrics.csv; empty
	// writes nothing.
	Dir string
	// Log receives progress lines and one line per epoch; nil is silent.
	Log io.Writer
	// Progress is the time between progress lines within an epoch; zero
	// means 5 s.
	Progress time.Duration
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
}

// Run trains p's Net on trainSet for cfg.Epochs epochs: each epoch a seeded
// shuffle, full batches (the last partial batch of the shuffle is left out
// that epoch), one optimizer step per batch; then evaluation on val (if not
// nil) and test, a line on cfg.Log, a row of metrics.csv and the checkpoint
// last.ckpt in cfg.Dir. The Net must be initialised. Everything random draws
// from cfg.Seed, so the same call gives the same weights bit for bit.
func Run(ctx context.Context, p *graph.Program, trainSet, val, test *Dataset, cfg Config) ([]EpochStats, error) {
	net := p.Net()
	nc := net.Config()
	if trainSet.Shape != nc.Input {
		return nil, errors.Errorf("train: dataset %s has images of %v, the network takes %v", trainSet.Name, trainSet.Shape, nc.Input)
	}
	if trainSet.Len() < nc.Batch {
		return nil, errors.Errorf("train: %d training images, fewer than one batch of %d", trainSet.Len(), nc.Batch)
	}
	if cfg.Epochs <= 0 {
		return nil, errors.Errorf("train: %d epochs", cfg.Epochs)
	}
	if err := cfg.Schedule.Validate(); err != nil {
		return nil, err
	}
	params := p.Values()
	sizes := make([]int, len(params))
	for i, v := range params {
		sizes[i] = len(v)
	}
	opt, err := NewOptimizer(cfg.Opt, sizes)
	if err != nil {
		return nil, err
	}
	var metrics *metricsWriter
	if cfg.Dir != "" {
		if metrics, err = newMetricsWriter(filepath.Join(cfg.Dir, "metrics.csv")); err != nil {
			return nil, err
		}
		defer metrics.Close()
	}
	log := cfg.Log
	if log == nil {
		log = io.Discard
	}
	every := cfg.Progress
	if every == 0 {
		every = 5 * time.Second
	}
	pcg := rand.NewPCG(cfg.Seed, 0x636f6e766e657473) // "convnets"
	rng := rand.New(pcg)
	b := nc.Batch
	steps := trainSet.Len() / b
	labels := make([]int, b)
	var history []EpochStats
	var step int64
	total := int64(steps * cfg.Epochs)
	lr := cfg.Opt.LR
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		start := time.Now()
		lastLog := start
		perm := rng.Perm(trainSet.Len())
		var lossSum float64
		correct := 0
		for s := 0; s < steps; s++ {
			if err := ctx.Err(); err != nil {
				return history, errors.Wrapf(err, "train: stopped in epoch %d at step %d", epoch, step)
			}
			idx := perm[s*b : (s+1)*b]
			trainSet.FillShifted(p.Input(), labels, idx, cfg.Shift, rng)
			if err := p.SetLabels(labels); err != nil {
				return history, err
			}
			if err := p.Step(rng); err != nil {
				return history, errors.Wrapf(err, "train: epoch %d step %d", epoch, step+1)
			}
			loss := p.Loss()
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return history, errors.Errorf("train: loss is %v at epoch %d, step %d: stopping (the last checkpoint is intact); try a lower learning rate", loss, epoch, step+1)
			}
			grads, err := p.Grads()
			if err != nil {
				return history, err
			}
			lr = cfg.Schedule.Rate(cfg.Opt.LR, step, int64(steps), total)
			opt.Step(params, grads, lr)
			step++
			lossSum += loss
			correct += countCorrect(p.Logits(), labels, nc.Classes)
			if now := time.Now(); now.Sub(lastLog) >= every {
				lastLog = now
				fmt.Fprintf(log, "  epoch %d  step %d/%d  loss %.4f  acc %.2f%%  %.0f img/s\n", epoch, s+1, steps,
					lossSum/float64(s+1), 100*float64(correct)/float64((s+1)*b), float64((s+1)*b)/now.Sub(start).Seconds())
			}
		}
		trainTime := time.Since(start).Seconds()
		st := EpochStats{Epoch: epoch, Step: step, TrainLoss: lossSum / float64(steps),
			TrainAcc: float64(correct) / float64(steps*b), LR: lr, ValLoss: math.NaN(), ValAcc: math.NaN(),
			ImagesSec: float64(steps*b) / trainTime}
		if val != nil {
			pr, err := Predict(p, val)
			if err != nil {
				return history, err
			}
			st.ValLoss, st.ValAcc = pr.Loss, pr.Accuracy()
		}
		pr, err := Predict(p, test)
		if err != nil {
			return history, err
		}
		st.TestLoss, st.TestAcc = pr.Loss, pr.Accuracy()
		st.Seconds = time.Since(start).Seconds()
		history = append(history, st)
		valText := ""
		if val != nil {
			valText = fmt.Sprintf("  val acc %.2f%%", 100*st.ValAcc)
		}
		fmt.Fprintf(log, "epoch %d/%d  train loss %.4f  train acc %.2f%%%s  test loss %.4f  test acc %.2f%%  %.1f s  %.0f img/s\n",
			epoch, cfg.Epochs, st.TrainLoss, 100*st.TrainAcc, valText, st.TestLoss, 100*st.TestAcc, st.Seconds, st.ImagesSec)
		if cfg.Dir != "" {
			if err := metrics.Write(st); err != nil {
				return history, err
			}
			if err := saveLast(cfg, p, opt, epoch, step, pcg); err != nil {
				return history, err
			}
		}
	}
	return history, nil
}

// saveLast writes the run's checkpoint: weights, batch-norm statistics,
// optimizer buffers, and the loop's position and generator state.
func saveLast(cfg Config, p *graph.Program, opt Optimizer, epoch int, step int64, pcg *rand.PCG) error {
	tensors, err := NetTensors(p.Net())
	if err != nil {
		return err
	}
	names := p.Net().Params()
	bufs, optSteps := opt.State()
	kinds := make([]string, 0, len(bufs))
	for kind := range bufs {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		for i, buf := range bufs[kind] {
			tensors = append(tensors, Tensor{Name: "optimizer/" + kind + "/" + names[i].Name, Shape: names[i].Shape, Data: buf})
		}
	}
	rngState, err := pcg.MarshalBinary()
	if err != nil {
		return errors.Wrap(err, "train: saving the generator state")
	}
	meta := Meta{Arch: cfg.Arch, Epoch: epoch, Step: step, Optimizer: cfg.Opt.Name, OptSteps: optSteps, RNG: rngState}
	return WriteCheckpoint(filepath.Join(cfg.Dir, LastCheckpoint), &Checkpoint{Meta: meta, Tensors: tensors})
}

// LastCheckpoint is the file name of a run's latest checkpoint.
const LastCheckpoint = "last.ckpt"

func countCorrect(logits []float32, labels []int, k int) int {
	n := 0
	for r, l := range labels {
		if pred, _ := argmaxNLL(logits[r*k:(r+1)*k], l); pred == l {
			n++
		}
	}
	return n
}

// MkRunDir creates dir (and parents) for a run; an existing non-empty
// folder is refused, so that no earlier run is overwritten.
func MkRunDir(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return errors.Errorf("run directory %s exists and is not empty: choose another -out", dir)
	}
	return errors.Wrap(os.MkdirAll(dir, 0o755), "run directory")
}
