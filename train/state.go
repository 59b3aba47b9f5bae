package train

import (
	"path/filepath"
	"sort"

	"github.com/convnets/convnets/train/weights"
	"github.com/pkg/errors"
)

// permTensor names the epoch's shuffle in a checkpoint taken mid-epoch.
const permTensor = "loop/perm"

// save writes the run's state to name in the run directory: weights and
// batch-norm statistics, optimizer buffers, the epoch's shuffle when the
// epoch is under way, and the loop's position and generator state.
func (l *loop) save(name string) error {
	tensors, err := weights.NetTensors(l.p.Net())
	if err != nil {
		return err
	}
	params := l.p.Net().Params()
	bufs, optSteps := l.opt.State()
	kinds := make([]string, 0, len(bufs))
	for kind := range bufs {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		for i, buf := range bufs[kind] {
			tensors = append(tensors, weights.Tensor{Name: "optimizer/" + kind + "/" + params[i].Name, Shape: params[i].Shape, Data: buf})
		}
	}
	if l.inEpoch {
		perm := make([]float32, len(l.perm)) // exact: indices are far below 2^24
		for i, v := range l.perm {
			perm[i] = float32(v)
		}
		tensors = append(tensors, weights.Tensor{Name: permTensor, Shape: []int{len(perm)}, Data: perm})
	}
	meta := l.st
	meta.OptSteps = optSteps
	if meta.RNG, err = l.pcg.MarshalBinary(); err != nil {
		return errors.Wrap(err, "train: saving the generator state")
	}
	return weights.WriteCheckpoint(filepath.Join(l.cfg.Dir, name), &weights.Checkpoint{Meta: meta, Tensors: tensors})
}

// restore loads a checkpoint written by save into the Net, the optimizer
// and the loop.
func (l *loop) restore(c *weights.Checkpoint) error {
	const what = "resume"
	if c.Meta.Arch != l.cfg.Arch || c.Meta.Optimizer != l.cfg.Opt.Name {
		return errors.Errorf("%s: the checkpoint is of %s with %s, the job of %s with %s", what, c.Meta.Arch, c.Meta.Optimizer, l.cfg.Arch, l.cfg.Opt.Name)
	}
	if c.Meta.Epoch < 1 || c.Meta.Pos < 0 || c.Meta.Pos >= l.steps || c.Meta.Step < 0 {
		return errors.Errorf("%s: the checkpoint's position (epoch %d, step %d of %d) does not fit this job", what, c.Meta.Epoch, c.Meta.Pos, l.steps)
	}
	if err := weights.LoadInto(l.p.Net(), c, what); err != nil {
		return err
	}
	byName := make(map[string]*weights.Tensor, len(c.Tensors))
	for i := range c.Tensors {
		byName[c.Tensors[i].Name] = &c.Tensors[i]
	}
	params := l.p.Net().Params()
	bufs, _ := l.opt.State()
	for kind, bs := range bufs {
		for i, buf := range bs {
			name := "optimizer/" + kind + "/" + params[i].Name
			t, ok := byName[name]
			if !ok || len(t.Data) != len(buf) {
				return errors.Errorf("%s: optimizer state %s missing or of the wrong size", what, name)
			}
			copy(buf, t.Data)
		}
	}
	l.opt.SetSteps(c.Meta.OptSteps)
	if err := l.pcg.UnmarshalBinary(c.Meta.RNG); err != nil {
		return errors.Wrapf(err, "%s: generator state", what)
	}
	l.st = c.Meta
	if t, ok := byName[permTensor]; ok {
		if len(t.Data) != l.data.Len() {
			return errors.Errorf("%s: the checkpoint's shuffle has %d entries for %d images", what, len(t.Data), l.data.Len())
		}
		l.inEpoch = true
		l.perm = make([]int, len(t.Data))
		for i, v := range t.Data {
			if v < 0 || int(v) >= l.data.Len() {
				return errors.Errorf("%s: shuffle index %v out of range", what, v)
			}
			l.perm[i] = int(v)
		}
	} else if l.st.Pos != 0 {
		return errors.Errorf("%s: the checkpoint was taken mid-epoch but holds no shuffle", what)
	}
	return nil
}
