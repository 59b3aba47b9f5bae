package weights

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"sort"
	"strings"

	"github.com/convnets/convnets/internal/safefile"
	"github.com/pkg/errors"
)

// The safetensors format (huggingface/safetensors): a little-endian uint64
// header length N, N bytes of JSON mapping each tensor's name to its dtype,
// shape and [begin, end) byte offsets in the data that follows, plus an
// optional "__metadata__" object of strings; then the data, little-endian,
// row-major. convnets writes float32 ("F32") only; it reads F32, and skips
// the int64 num_batches_tracked counters PyTorch's batch norms carry.
const (
	stMetadataKey = "__metadata__"
	stMaxHeader   = 100 << 20
)

type stEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// EncodeSafetensors lays tensors out in the safetensors format, in the
// given order, with meta as the header's __metadata__.
func EncodeSafetensors(tensors []Tensor, meta map[string]string) ([]byte, error) {
	header := map[string]any{}
	if len(meta) > 0 {
		header[stMetadataKey] = meta
	}
	var data bytes.Buffer
	for _, t := range tensors {
		if t.Name == "" || t.Name == stMetadataKey {
			return nil, errors.Errorf("safetensors: tensor name %q", t.Name)
		}
		if _, dup := header[t.Name]; dup {
			return nil, errors.Errorf("safetensors: tensor %s twice", t.Name)
		}
		if int64(len(t.Data)) != prodInts(t.Shape) {
			return nil, errors.Errorf("safetensors: tensor %s has %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
		begin := int64(data.Len())
		binary.Write(&data, binary.LittleEndian, t.Data)
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[t.Name] = stEntry{DType: "F32", Shape: shape, Offsets: [2]int64{begin, int64(data.Len())}}
	}
	hdr, err := json.Marshal(header)
	if err != nil {
		return nil, errors.Wrap(err, "safetensors")
	}
	for len(hdr)%8 != 0 { // the data starts 8-byte aligned, as the reference writer does
		hdr = append(hdr, ' ')
	}
	out := make([]byte, 8, 8+len(hdr)+data.Len())
	binary.LittleEndian.PutUint64(out, uint64(len(hdr)))
	out = append(out, hdr...)
	return append(out, data.Bytes()...), nil
}

// WriteSafetensors writes tensors and meta to path (atomically).
func WriteSafetensors(path string, tensors []Tensor, meta map[string]string) error {
	b, err := EncodeSafetensors(tensors, meta)
	if err != nil {
		return errors.Wrap(err, path)
	}
	return WriteFileAtomic(path, b)
}

// ReadSafetensors reads a safetensors file: its float32 tensors in the
// order of their data, and its metadata.
func ReadSafetensors(path string) ([]Tensor, map[string]string, error) {
	b, err := safefile.ReadFile(path, "safetensors file", maxWeightsFile)
	if err != nil {
		return nil, nil, err
	}
	ts, meta, err := DecodeSafetensors(b)
	if err != nil {
		return nil, nil, errors.Wrap(err, path)
	}
	return ts, meta, nil
}

// DecodeSafetensors parses the safetensors format, checking every size and
// offset before using it: the tensors must tile the data exactly.
func DecodeSafetensors(b []byte) ([]Tensor, map[string]string, error) {
	if len(b) < 8 {
		return nil, nil, errors.Errorf("safetensors: %d bytes, shorter than the header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > stMaxHeader || n > uint64(len(b)-8) {
		return nil, nil, errors.Errorf("safetensors: header of %d bytes in a file of %d", n, len(b))
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b[8 : 8+n]))
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, errors.Wrap(err, "safetensors: header")
	}
	data := b[8+n:]
	var meta map[string]string
	type span struct {
		name       string
		begin, end int64
		keep       bool
		shape      []int
	}
	var spans []span
	for name, msg := range raw {
		if name == stMetadataKey {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return nil, nil, errors.Wrap(err, "safetensors: __metadata__ must map strings to strings")
			}
			continue
		}
		var e stEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, nil, errors.Wrapf(err, "safetensors: tensor %s", name)
		}
		size := int64(4)
		switch {
		case e.DType == "F32":
		case e.DType == "I64" && strings.HasSuffix(name, "num_batches_tracked"):
			size = 8
		default:
			return nil, nil, errors.Errorf("safetensors: tensor %s has dtype %s, want F32", name, e.DType)
		}
		count := int64(1)
		for _, d := range e.Shape {
			if d < 0 || (d > 0 && count > math.MaxInt32/int64(d)) {
				return nil, nil, errors.Errorf("safetensors: tensor %s has shape %v", name, e.Shape)
			}
			count *= int64(d)
		}
		begin, end := e.Offsets[0], e.Offsets[1]
		if begin < 0 || end < begin || end > int64(len(data)) || end-begin != count*size {
			return nil, nil, errors.Errorf("safetensors: tensor %s: offsets [%d, %d) for shape %v of %s in %d bytes of data",
				name, begin, end, e.Shape, e.DType, len(data))
		}
		spans = append(spans, span{name: name, begin: begin, end: end, keep: e.DType == "F32", shape: e.Shape})
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].begin != spans[j].begin {
			return spans[i].begin < spans[j].begin
		}
		return spans[i].end < spans[j].end
	})
	var at int64
	var out []Tensor
	for _, s := range spans {
		if s.begin != at {
			return nil, nil, errors.Errorf("safetensors: tensor %s starts at byte %d of the data, want %d (tensors must tile the data)", s.name, s.begin, at)
		}
		at = s.end
		if !s.keep {
			continue
		}
		vals := make([]float32, (s.end-s.begin)/4)
		for i := range vals {
			vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[s.begin+4*int64(i):]))
		}
		out = append(out, Tensor{Name: s.name, Shape: append([]int{}, s.shape...), Data: vals})
	}
	if at != int64(len(data)) {
		return nil, nil, errors.Errorf("safetensors: %d bytes of data after the last tensor", int64(len(data))-at)
	}
	return out, meta, nil
}
