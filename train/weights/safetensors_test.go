package weights

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func smallTensors() []Tensor {
	return []Tensor{
		{Name: "c1.weight", Shape: []int{2, 1, 2, 2}, Data: []float32{1, -2, 3.5, 4, 5, 6, 7, -8}},
		{Name: "c1.bias", Shape: []int{2}, Data: []float32{0.25, -0.5}},
		{Name: "output.weight", Shape: []int{3, 2}, Data: []float32{1, 2, 3, 4, 5, 6}},
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	meta := map[string]string{"arch": "tiny", "config": `{"input":[1,2,2]}`}
	if err := WriteSafetensors(path, smallTensors(), meta); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	n := binary.LittleEndian.Uint64(b)
	if (8+n)%8 != 0 {
		t.Errorf("data starts at byte %d, not 8-byte aligned", 8+n)
	}
	var header map[string]json.RawMessage // the layout the format's other readers expect
	if err := json.Unmarshal(b[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	if string(header["c1.bias"]) != `{"dtype":"F32","shape":[2],"data_offsets":[32,40]}` {
		t.Errorf("c1.bias entry %s", header["c1.bias"])
	}
	got, gotMeta, err := ReadSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	if gotMeta["arch"] != "tiny" || gotMeta["config"] != meta["config"] {
		t.Errorf("metadata %v", gotMeta)
	}
	want := smallTensors()
	if len(got) != len(want) {
		t.Fatalf("%d tensors back", len(got))
	}
	for i := range want {
		if got[i].Name != want[i].Name || !sameShape(got[i].Shape, want[i].Shape) || len(got[i].Data) != len(want[i].Data) {
			t.Fatalf("tensor %d: %+v, want %+v", i, got[i], want[i])
		}
		for j := range want[i].Data {
			if got[i].Data[j] != want[i].Data[j] {
				t.Fatalf("tensor %s value %d: %v, want %v", want[i].Name, j, got[i].Data[j], want[i].Data[j])
			}
		}
	}
}

// TestSafetensorsCorrupt: every truncation is refused, and so are lying
// headers, with a message naming the tensor where one is at fault.
func TestSafetensorsCorrupt(t *testing.T) {
	good, err := EncodeSafetensors(smallTensors(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(good); i++ {
		if _, _, err := DecodeSafetensors(good[:i]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: accepted", i, len(good))
		}
	}
	withHeader := func(h string) []byte {
		for len(h)%8 != 0 {
			h += " "
		}
		b := make([]byte, 8, 8+len(h)+16)
		binary.LittleEndian.PutUint64(b, uint64(len(h)))
		return append(append(b, h...), make([]byte, 16)...)
	}
	cases := map[string]struct {
		header, want string
	}{
		"dtype":    {`{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}`, "tensor w has dtype F64"},
		"size":     {`{"w":{"dtype":"F32","shape":[5],"data_offsets":[0,16]}}`, "tensor w: offsets"},
		"overlap":  {`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}`, "must tile the data"},
		"gap":      {`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, "after the last tensor"},
		"negative": {`{"w":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}`, "tensor w has shape"},
		"metadata": {`{"__metadata__":{"a":1},"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, "__metadata__"},
		"json":     {`{"w":`, "header"},
	}
	for name, c := range cases {
		if _, _, err := DecodeSafetensors(withHeader(c.header)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.want)
		}
	}
	// PyTorch's batch-norm step counters (int64) are read past, not refused.
	ts, _, err := DecodeSafetensors(withHeader(`{"bn.num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}`))
	if err != nil || len(ts) != 1 || ts[0].Name != "w" {
		t.Fatalf("num_batches_tracked: %v %+v", err, ts)
	}
}

func FuzzDecodeSafetensors(f *testing.F) {
	good, err := EncodeSafetensors(smallTensors(), map[string]string{"arch": "tiny"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:20])
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, _, err := DecodeSafetensors(b)
		if err != nil {
			return
		}
		for _, tn := range ts {
			if int64(len(tn.Data)) != prodInts(tn.Shape) {
				t.Fatalf("tensor %s: %d values for %v", tn.Name, len(tn.Data), tn.Shape)
			}
		}
	})
}
