package weights

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"

	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/internal/safefile"
	"github.com/pkg/errors"
)

// The checkpoint format: the magic "CNVCKPT1", a little-endian uint32 header
// length, a JSON header (meta and the name and shape of every tensor), the
// tensors' float32 data little-endian in header order, and a SHA-256 of
// everything before it. The reader checks the checksum before it trusts any
// size in the header.
const (
	// maxWeightsFile is the largest checkpoint or safetensors file read.
	maxWeightsFile = 8 << 30
	ckptMagic      = "CNVCKPT1"
	maxHeaderLen   = 64 << 20
	maxCheckpoint  = 16 << 30
)

// Meta is the loop state saved beside the tensors: where the run stands
// (the epoch in progress, counted from 1, and the steps done in it and in
// all), the partial sums of the epoch, the optimizer's step count, the
// generator's state, and the best validation accuracy so far (-1: none).
type Meta struct {
	Arch      string  `json:"arch"`
	Epoch     int     `json:"epoch"`
	Pos       int     `json:"step_in_epoch"`
	Step      int64   `json:"step"`
	LossSum   float64 `json:"loss_sum"`
	Correct   int     `json:"correct"`
	BestVal   float64 `json:"best_val_accuracy"`
	Optimizer string  `json:"optimizer,omitempty"`
	OptSteps  int64   `json:"opt_steps,omitempty"`
	RNG       []byte  `json:"rng,omitempty"`
}

// Tensor is a named float32 tensor of a checkpoint.
type Tensor struct {
	Name  string    `json:"name"`
	Shape []int     `json:"shape"`
	Data  []float32 `json:"-"`
}

// Checkpoint is what a checkpoint file holds.
type Checkpoint struct {
	Meta    Meta
	Tensors []Tensor
}

type ckptHeader struct {
	Meta    Meta     `json:"meta"`
	Tensors []Tensor `json:"tensors"`
}

// WriteCheckpoint writes c to path atomically: to a temporary file in the
// same folder, synced, then renamed over path. A crash leaves either the old
// file or the new one.
func WriteCheckpoint(path string, c *Checkpoint) error {
	hdr, err := json.Marshal(ckptHeader{Meta: c.Meta, Tensors: c.Tensors})
	if err != nil {
		return errors.Wrapf(err, "checkpoint %s", path)
	}
	var buf bytes.Buffer
	buf.WriteString(ckptMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(len(hdr)))
	buf.Write(hdr)
	for _, t := range c.Tensors {
		if int64(len(t.Data)) != prodInts(t.Shape) {
			return errors.Errorf("checkpoint %s: tensor %s has %d values for shape %v", path, t.Name, len(t.Data), t.Shape)
		}
		binary.Write(&buf, binary.LittleEndian, t.Data)
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	return WriteFileAtomic(path, buf.Bytes())
}

// WriteFileAtomic writes data to a temporary file in path's folder, syncs
// it and renames it to path: a crash leaves the old file or the new one,
// never a part.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return errors.Wrapf(err, "writing %s", path)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return errors.Wrapf(err, "writing %s", path)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return errors.Wrapf(err, "writing %s", path)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// ReadCheckpoint reads and verifies a checkpoint file.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	c, err := readCheckpoint(path)
	if err != nil {
		return nil, errors.Wrapf(err, "checkpoint %s", path)
	}
	return c, nil
}

func readCheckpoint(path string) (*Checkpoint, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxCheckpoint {
		return nil, errors.Errorf("%d bytes: larger than any checkpoint convnets writes", st.Size())
	}
	raw, err := safefile.ReadFile(path, "checkpoint", maxWeightsFile)
	if err != nil {
		return nil, err
	}
	if len(raw) < len(ckptMagic)+4+sha256.Size || string(raw[:len(ckptMagic)]) != ckptMagic {
		return nil, errors.New("not a convnets checkpoint (bad magic or too short)")
	}
	body, sum := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errors.New("checksum mismatch: the file is corrupt or truncated")
	}
	rest := body[len(ckptMagic):]
	hlen := int64(binary.LittleEndian.Uint32(rest))
	rest = rest[4:]
	if hlen > maxHeaderLen || hlen > int64(len(rest)) {
		return nil, errors.Errorf("header length %d exceeds the file", hlen)
	}
	var hdr ckptHeader
	dec := json.NewDecoder(bytes.NewReader(rest[:hlen]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&hdr); err != nil {
		return nil, errors.Wrap(err, "header")
	}
	data := rest[hlen:]
	var need int64
	for _, t := range hdr.Tensors {
		n := prodInts(t.Shape)
		if n < 0 || need+4*n > int64(len(data)) {
			return nil, errors.Errorf("tensor %s of shape %v does not fit in the file", t.Name, t.Shape)
		}
		need += 4 * n
	}
	if need != int64(len(data)) {
		return nil, errors.Errorf("%d bytes of tensor data, the header describes %d", len(data), need)
	}
	off := 0
	for i := range hdr.Tensors {
		t := &hdr.Tensors[i]
		n := int(prodInts(t.Shape))
		t.Data = make([]float32, n)
		for j := range t.Data {
			t.Data[j] = math.Float32frombits(binary.LittleEndian.Uint32(data[off:]))
			off += 4
		}
	}
	return &Checkpoint{Meta: hdr.Meta, Tensors: hdr.Tensors}, nil
}

// prodInts multiplies dims, returning -1 for a negative dimension or an
// overflow past 2^40 elements.
func prodInts(dims []int) int64 {
	p := int64(1)
	for _, d := range dims {
		if d < 0 || (d > 0 && p > (1<<40)/int64(d)) {
			return -1
		}
		p *= int64(d)
	}
	return p
}

// NetTensors returns the Net's state (parameters, then batch-norm
// statistics) as checkpoint tensors that share memory with the Net.
func NetTensors(n *graph.Net) ([]Tensor, error) {
	state, err := n.State()
	if err != nil {
		return nil, err
	}
	out := make([]Tensor, len(state))
	for i, s := range state {
		data, ok := s.Tensor.Data().([]float32)
		if !ok {
			return nil, errors.Errorf("tensor %s is not float32", s.Name)
		}
		out[i] = Tensor{Name: s.Name, Shape: []int(s.Tensor.Shape().Clone()), Data: data}
	}
	return out, nil
}

// LoadRunWeights reads the checkpoint at path and loads it into n after
// checking that a run of architecture arch wrote it: a lenet5 checkpoint
// copied into a lenet5-relu run has the same tensors, and would otherwise
// evaluate (badly) and export under the wrong name.
func LoadRunWeights(n *graph.Net, arch, path string) error {
	c, err := ReadCheckpoint(path)
	if err != nil {
		return err
	}
	if c.Meta.Arch != arch {
		return errors.Errorf("%s holds weights of %q, the run's job.json names %q", path, c.Meta.Arch, arch)
	}
	return LoadInto(n, c, path)
}

// LoadInto copies the checkpoint's tensors into the Net's state. Every
// tensor of the Net must be there with its shape; path names the file in
// errors.
func LoadInto(n *graph.Net, c *Checkpoint, path string) error {
	dst, err := NetTensors(n)
	if err != nil {
		return err
	}
	byName := make(map[string]*Tensor, len(c.Tensors))
	for i := range c.Tensors {
		byName[c.Tensors[i].Name] = &c.Tensors[i]
	}
	for _, d := range dst {
		s, ok := byName[d.Name]
		if !ok {
			return errors.Errorf("%s: no tensor %s (is it a checkpoint of this architecture?)", path, d.Name)
		}
		if !sameShape(s.Shape, d.Shape) {
			return errors.Errorf("%s: tensor %s has shape %v, the network wants %v", path, d.Name, s.Shape, d.Shape)
		}
		copy(d.Data, s.Data)
	}
	return nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Hash is a SHA-256, in hex, over the Net's state in its fixed
// order (each tensor's name, shape and float32 bits): equal hashes mean
// bit-identical weights and batch-norm statistics.
func Hash(n *graph.Net) (string, error) {
	tensors, err := NetTensors(n)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range tensors {
		h.Write([]byte(t.Name))
		for _, d := range t.Shape {
			binary.Write(h, binary.LittleEndian, int64(d))
		}
		binary.Write(h, binary.LittleEndian, t.Data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
