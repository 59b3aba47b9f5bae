package graph

import (
	"math"

	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
)

// ReLU applies max(0, x), recorded as "<layer>/relu".
func (t *Tensor) ReLU() *Tensor { return t.unary("relu", KindReLU, t.net.relu) }

// Sigmoid applies 1/(1+exp(-x)), recorded as "<layer>/sigmoid".
func (t *Tensor) Sigmoid() *Tensor { return t.unary("sigmoid", KindSigmoid, t.net.sigmoid) }

// Tanh applies tanh(x), recorded as "<layer>/tanh".
func (t *Tensor) Tanh() *Tensor { return t.unary("tanh", KindTanh, G.Tanh) }

// ReLU6 applies min(max(0, x), 6), recorded as "<layer>/relu6" (MobileNet).
func (t *Tensor) ReLU6() *Tensor { return t.unary("relu6", KindReLU6, t.net.pointwise(relu6Fn)) }

// LeakyReLU applies x for x > 0 and slope*x below, recorded as
// "<layer>/leakyrelu"; PyTorch's default slope is 0.01.
func (t *Tensor) LeakyReLU(slope float64) *Tensor {
	if math.IsNaN(slope) || math.IsInf(slope, 0) {
		return t.net.fail(errors.Errorf("graph: leaky ReLU after %s: slope %v", t.name, slope))
	}
	return t.net.setScalar(t.unary("leakyrelu", KindLeakyReLU, t.net.pointwise(leakyReLUFn(slope))), slope)
}

// SiLU applies x * sigmoid(x) (swish), recorded as "<layer>/silu".
func (t *Tensor) SiLU() *Tensor { return t.unary("silu", KindSiLU, t.net.pointwise(siluFn)) }

// HardSigmoid applies min(max(0, x+3), 6)/6, recorded as
// "<layer>/hardsigmoid" (MobileNetV3's gates).
func (t *Tensor) HardSigmoid() *Tensor {
	return t.unary("hardsigmoid", KindHardSigmoid, t.net.pointwise(hardSigmoidFn))
}

// HardSwish applies x * min(max(0, x+3), 6)/6, recorded as
// "<layer>/hardswish" (MobileNetV3).
func (t *Tensor) HardSwish() *Tensor {
	return t.unary("hardswish", KindHardSwish, t.net.pointwise(hardSwishFn))
}

// Activation names an element-wise nonlinearity, for blocks whose activation
// is a choice (LeNet-5's sigmoid or ReLU).
type Activation string

// The activations.
const (
	ReLU    Activation = "relu"
	Sigmoid Activation = "sigmoid"
	Tanh    Activation = "tanh"
)

// Apply applies the activation a to t; an unknown one is a build error.
func (t *Tensor) Apply(a Activation) *Tensor {
	switch a {
	case ReLU:
		return t.ReLU()
	case Sigmoid:
		return t.Sigmoid()
	case Tanh:
		return t.Tanh()
	}
	return t.net.fail(errors.Errorf("graph: unknown activation %q", a))
}

func (t *Tensor) unary(suffix string, kind Kind, f func(*G.Node) (*G.Node, error)) *Tensor {
	n := t.net
	name := t.name + "/" + suffix
	if !n.ok(t) || !n.claim(name) {
		return n.fail(nil)
	}
	y, err := f(t.node)
	out := n.wrap(name, y, err)
	if out.node == nil {
		return out
	}
	return n.record(out, kind, 0, 0, 0, out.elems())
}

// ScaledTanh applies LeCun's 1.7159 * tanh(2x/3), recorded as
// "<layer>/tanh".
func (t *Tensor) ScaledTanh() *Tensor {
	n := t.net
	return t.unary("tanh", KindScaledTanh, func(x *G.Node) (*G.Node, error) {
		y, err := G.Mul(x, n.scalar(2.0/3))
		if err == nil {
			y, err = G.Tanh(y)
		}
		if err == nil {
			y, err = G.Mul(y, n.scalar(1.7159))
		}
		return y, err
	})
}
