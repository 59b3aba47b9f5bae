package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"github.com/convnets/convnets/graph"
	pb "github.com/convnets/convnets/train/onnx/onnxpb"
	"github.com/convnets/convnets/train/weights"
	"google.golang.org/protobuf/proto"
)

// Opset is the ONNX operator set the models use (ONNX 1.12, IR version 8).
const (
	Opset     = 17
	IRVersion = 8
)

// Export writes the network n (initialised or loaded) as an ONNX model in
// evaluation mode: input "input" of shape (N, C, H, W) float32 with N
// dynamic, output "logits" (N, classes); meta goes into the model's
// metadata. A layer kind with no ONNX mapping is an error naming the
// layer.
func Export(n *graph.Net, meta map[string]string) ([]byte, error) {
	state, err := weights.NetTensors(n)
	if err != nil {
		return nil, err
	}
	e := &exporter{tensors: map[string]weights.Tensor{}, g: &pb.GraphProto{Name: proto.String("convnets")}}
	for _, t := range state {
		e.tensors[t.Name] = t
	}
	cfg := n.Config()
	e.g.Input = []*pb.ValueInfoProto{valueInfo("input", []any{"N", cfg.Input[0], cfg.Input[1], cfg.Input[2]})}
	ledger := n.Ledger()
	if len(ledger) == 0 {
		return nil, fmt.Errorf("onnx: the network has no layers")
	}
	for _, l := range ledger {
		if err := e.layer(l); err != nil {
			return nil, fmt.Errorf("onnx: layer %s (%s): %w", l.Name, l.Kind, err)
		}
	}
	logits := n.Logits()
	if logits == nil {
		return nil, fmt.Errorf("onnx: the network has no output")
	}
	e.node("Identity", []string{logits.Name()}, []string{"logits"})
	e.g.Output = []*pb.ValueInfoProto{valueInfo("logits", []any{"N", cfg.Classes})}
	m := &pb.ModelProto{
		IrVersion:       proto.Int64(IRVersion),
		OpsetImport:     []*pb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(Opset)}},
		ProducerName:    proto.String("convnets"),
		ProducerVersion: proto.String("1"),
		Graph:           e.g,
	}
	for _, k := range sortedKeys(meta) {
		m.MetadataProps = append(m.MetadataProps, &pb.StringStringEntryProto{Key: proto.String(k), Value: proto.String(meta[k])})
	}
	return proto.Marshal(m)
}

// exporter builds the graph node by node.
type exporter struct {
	g       *pb.GraphProto
	tensors map[string]weights.Tensor
	consts  int
}

// layer adds the nodes of one ledger row; its output is named as the layer.
func (e *exporter) layer(l graph.Layer) error {
	in, out := l.Inputs, []string{l.Name}
	one := func() error {
		if len(in) != 1 {
			return fmt.Errorf("%d inputs, want 1", len(in))
		}
		return nil
	}
	simple := map[graph.Kind]string{graph.KindReLU: "Relu", graph.KindSigmoid: "Sigmoid", graph.KindTanh: "Tanh",
		graph.KindHardSwish: "HardSwish", graph.KindDropout: "Identity", graph.KindGAP: "GlobalAveragePool"}
	if op, ok := simple[l.Kind]; ok {
		if err := one(); err != nil {
			return err
		}
		e.node(op, in, out)
		return nil
	}
	switch l.Kind {
	case graph.KindConv:
		return e.conv(l)
	case graph.KindDense:
		w, err := e.param(l.Name+"/weight", nil)
		if err != nil {
			return err
		}
		inputs := []string{in[0], w}
		if b, err := e.param(l.Name+"/bias", []int{l.OutShape[0]}); err == nil {
			inputs = append(inputs, b)
		}
		e.node("Gemm", inputs, out)
	case graph.KindMaxPool, graph.KindAvgPool:
		if err := one(); err != nil {
			return err
		}
		e.pool(l)
	case graph.KindBatchNorm:
		return e.batchNorm(l)
	case graph.KindFlatten:
		e.node("Flatten", in, out, intAttr("axis", 1))
	case graph.KindConcat:
		e.node("Concat", in, out, intAttr("axis", 1))
	case graph.KindAdd, graph.KindSub, graph.KindMul:
		return e.binary(l)
	case graph.KindReLU6:
		e.node("Clip", []string{in[0], e.scalar(0), e.scalar(6)}, out)
	case graph.KindLeakyReLU:
		e.node("LeakyRelu", in, out, floatAttr("alpha", l.Scalar))
	case graph.KindHardSigmoid:
		e.node("HardSigmoid", in, out, floatAttr("alpha", 1.0/6), floatAttr("beta", 0.5))
	case graph.KindSiLU:
		s := l.Name + "/sigmoid_of_input"
		e.node("Sigmoid", in, []string{s})
		e.node("Mul", []string{in[0], s}, out)
	case graph.KindScaledTanh, graph.KindScale, graph.KindSelect:
		return e.lenet1998(l)
	case graph.KindRBF:
		return e.rbf(l)
	default:
		return fmt.Errorf("no ONNX mapping for this kind of layer")
	}
	return nil
}

// rbf is LeNet-5 1998's output as graph computes it: the negative squared
// distance to each prototype, 2 x.p - x.x - p.p.
func (e *exporter) rbf(l graph.Layer) error {
	p, err := e.param(l.Name+"/prototypes", nil)
	if err != nil {
		return err
	}
	t := e.tensors[p] // (in, out): column k is prototype k
	in, out := t.Shape[0], t.Shape[1]
	sums := make([]float64, out)
	for i := 0; i < in; i++ {
		for k := 0; k < out; k++ {
			v := float64(t.Data[i*out+k])
			sums[k] += v * v
		}
	}
	norm := make([]float32, out)
	for k, v := range sums {
		norm[k] = float32(v)
	}
	norms := l.Name + "/norms"
	e.g.Initializer = append(e.g.Initializer, floatTensor(norms, []int{1, out}, norm))
	x, name := l.Inputs[0], l.Name
	e.node("Mul", []string{x, x}, []string{name + "/squares"})
	e.node("ReduceSum", []string{name + "/squares", e.int64s(1)}, []string{name + "/xx"}, intAttr("keepdims", 1))
	e.node("MatMul", []string{x, p}, []string{name + "/xp"})
	e.node("Mul", []string{name + "/xp", e.scalar(2)}, []string{name + "/2xp"})
	e.node("Sub", []string{name + "/2xp", name + "/xx"}, []string{name + "/d"})
	e.node("Sub", []string{name + "/d", norms}, []string{name})
	return nil
}

// conv adds a convolution with its weight and bias.
func (e *exporter) conv(l graph.Layer) error {
	w, err := e.param(l.Name+"/weight", nil)
	if err != nil {
		return err
	}
	inputs := []string{l.Inputs[0], w}
	if b, err := e.param(l.Name+"/bias", []int{l.OutShape[0]}); err == nil {
		inputs = append(inputs, b)
	}
	k, d := l.Window, []int{1, 1}
	if len(l.Dilation) == 2 {
		d = l.Dilation
	}
	e.node("Conv", inputs, []string{l.Name}, ints("kernel_shape", k[0], k[1]), ints("strides", k[2], k[3]),
		ints("pads", k[4], k[5], k[4], k[5]), ints("dilations", d[0], d[1]), intAttr("group", k[6]))
	return nil
}

// binary adds an addition (scaled: a + scale*b), subtraction or product;
// a (N, C) gate multiplying (N, C, H, W) is unsqueezed to (N, C, 1, 1).
func (e *exporter) binary(l graph.Layer) error {
	if len(l.Inputs) != 2 {
		return fmt.Errorf("%d inputs, want 2", len(l.Inputs))
	}
	a, b := l.Inputs[0], l.Inputs[1]
	switch {
	case l.Kind == graph.KindAdd && l.Scalar != 0 && l.Scalar != 1:
		scaled := l.Name + "/scaled"
		e.node("Mul", []string{b, e.scalar(l.Scalar)}, []string{scaled})
		b = scaled
	case l.Kind == graph.KindMul && len(l.OutShape) == 3 && e.rank(b) == 2:
		gate := l.Name + "/gate"
		e.node("Unsqueeze", []string{b, e.int64s(2, 3)}, []string{gate})
		b = gate
	}
	op := map[graph.Kind]string{graph.KindAdd: "Add", graph.KindSub: "Sub", graph.KindMul: "Mul"}[l.Kind]
	e.node(op, []string{a, b}, []string{l.Name})
	return nil
}

// rank is the rank (with the batch) of a layer's output, from the graph's
// value infos kept as nodes are added: 2 for dense, flatten and their
// activations, else 4. Only Mul's gate asks.
func (e *exporter) rank(name string) int {
	for _, n := range e.g.Node {
		if len(n.Output) > 0 && n.Output[0] == name {
			switch n.GetOpType() {
			case "Gemm", "Flatten":
				return 2
			case "Relu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Identity", "Clip", "LeakyRelu", "BatchNormalization":
				return e.rank(n.Input[0])
			}
			return 4
		}
	}
	return 4
}

// param adds the named tensor of the Net as an initializer (reshaped to
// shape when not nil) and returns its name.
func (e *exporter) param(name string, shape []int) (string, error) {
	t, ok := e.tensors[name]
	if !ok {
		return "", fmt.Errorf("no tensor %s", name)
	}
	if shape == nil {
		shape = t.Shape
	}
	e.g.Initializer = append(e.g.Initializer, floatTensor(name, shape, t.Data))
	return name, nil
}

// scalar adds a float constant and returns its name.
func (e *exporter) scalar(v float64) string {
	e.consts++
	name := fmt.Sprintf("const%d", e.consts)
	e.g.Initializer = append(e.g.Initializer, floatTensor(name, []int{}, []float32{float32(v)}))
	return name
}

// int64s adds an int64 vector constant and returns its name.
func (e *exporter) int64s(vs ...int64) string {
	e.consts++
	name := fmt.Sprintf("const%d", e.consts)
	raw := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	e.g.Initializer = append(e.g.Initializer, &pb.TensorProto{Name: proto.String(name), Dims: []int64{int64(len(vs))},
		DataType: proto.Int32(int32(pb.TensorProto_INT64)), RawData: raw})
	return name
}

func (e *exporter) node(op string, in, out []string, attrs ...*pb.AttributeProto) {
	e.g.Node = append(e.g.Node, &pb.NodeProto{OpType: proto.String(op), Name: proto.String(out[0]), Input: in, Output: out, Attribute: attrs})
}

func floatTensor(name string, shape []int, data []float32) *pb.TensorProto {
	dims := make([]int64, len(shape))
	for i, d := range shape {
		dims[i] = int64(d)
	}
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return &pb.TensorProto{Name: proto.String(name), Dims: dims, DataType: proto.Int32(int32(pb.TensorProto_FLOAT)), RawData: raw}
}

// valueInfo is a float32 tensor's type with dims, each an int or a
// symbolic name.
func valueInfo(name string, dims []any) *pb.ValueInfoProto {
	shape := &pb.TensorShapeProto{}
	for _, d := range dims {
		dim := &pb.TensorShapeProto_Dimension{}
		switch v := d.(type) {
		case int:
			dim.Value = &pb.TensorShapeProto_Dimension_DimValue{DimValue: int64(v)}
		case string:
			dim.Value = &pb.TensorShapeProto_Dimension_DimParam{DimParam: v}
		}
		shape.Dim = append(shape.Dim, dim)
	}
	return &pb.ValueInfoProto{Name: proto.String(name), Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
		TensorType: &pb.TypeProto_Tensor{ElemType: proto.Int32(int32(pb.TensorProto_FLOAT)), Shape: shape}}}}
}

func ints(name string, vs ...int) *pb.AttributeProto {
	a := &pb.AttributeProto{Name: proto.String(name), Type: pb.AttributeProto_INTS.Enum()}
	for _, v := range vs {
		a.Ints = append(a.Ints, int64(v))
	}
	return a
}

func intAttr(name string, v int) *pb.AttributeProto {
	return &pb.AttributeProto{Name: proto.String(name), Type: pb.AttributeProto_INT.Enum(), I: proto.Int64(int64(v))}
}

func floatAttr(name string, v float64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: proto.String(name), Type: pb.AttributeProto_FLOAT.Enum(), F: proto.Float32(float32(v))}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pool adds a max or average pooling (padding counted in the average, as
// graph does).
func (e *exporter) pool(l graph.Layer) {
	w := l.Window
	attrs := []*pb.AttributeProto{ints("kernel_shape", w[0], w[1]), ints("strides", w[2], w[3]), ints("pads", w[4], w[5], w[4], w[5])}
	op := "MaxPool"
	if l.Kind == graph.KindAvgPool {
		op = "AveragePool"
		attrs = append(attrs, intAttr("count_include_pad", 1))
	}
	e.node(op, l.Inputs, []string{l.Name}, attrs...)
}

// batchNorm adds batch norm in evaluation form, with the running statistics.
func (e *exporter) batchNorm(l graph.Layer) error {
	c := []int{l.OutShape[0]}
	var inputs []string
	for _, part := range []string{"weight", "bias", "running_mean", "running_var"} {
		name, err := e.param(l.Name+"/"+part, c)
		if err != nil {
			return err
		}
		inputs = append(inputs, name)
	}
	e.node("BatchNormalization", append([]string{l.Inputs[0]}, inputs...), []string{l.Name}, floatAttr("epsilon", 1e-5))
	return nil
}

// lenet1998 adds LeNet-5 1998's layers: LeCun's scaled tanh, the trainable
// subsampling's coefficient and bias per channel, the channel table's
// selection.
func (e *exporter) lenet1998(l graph.Layer) error {
	in, out := l.Inputs, []string{l.Name}
	switch l.Kind {
	case graph.KindScaledTanh: // 1.7159 * tanh(2x/3)
		a, b := l.Name+"/scaled_input", l.Name+"/tanh_of_input"
		e.node("Mul", []string{in[0], e.scalar(float64(float32(2.0 / 3)))}, []string{a})
		e.node("Tanh", []string{a}, []string{b})
		e.node("Mul", []string{b, e.scalar(1.7159)}, out)
	case graph.KindScale:
		w, err := e.param(l.Name+"/weight", nil)
		if err != nil {
			return err
		}
		b, err := e.param(l.Name+"/bias", nil)
		if err != nil {
			return err
		}
		e.node("Mul", []string{in[0], w}, []string{l.Name + "/scaled"})
		e.node("Add", []string{l.Name + "/scaled", b}, out)
	case graph.KindSelect:
		idx := make([]int64, len(l.Indices))
		for i, c := range l.Indices {
			idx[i] = int64(c)
		}
		e.node("Gather", []string{in[0], e.int64s(idx...)}, out, intAttr("axis", 1))
	}
	return nil
}
