package graph

import (
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ConvOpt sets an option of Conv or of a pooling layer.
type ConvOpt func(*convOpts)

type convOpts struct {
	kh, kw, sh, sw, ph, pw int
	dh, dw                 int // dilation
	groups                 int
	noBias                 bool
	init                   Init
}

// K sets the kernel size: K(3) is 3x3, K(1, 7) is 1x7 (height, width).
func K(kh int, kw ...int) ConvOpt {
	return func(o *convOpts) { o.kh, o.kw = kh, pick(kh, kw) }
}

// Stride sets the stride: Stride(2), or Stride(sh, sw).
func Stride(sh int, sw ...int) ConvOpt {
	return func(o *convOpts) { o.sh, o.sw = sh, pick(sh, sw) }
}

// Pad sets zero padding on both sides of each axis: Pad(2), or Pad(ph, pw).
func Pad(ph int, pw ...int) ConvOpt {
	return func(o *convOpts) { o.ph, o.pw = ph, pick(ph, pw) }
}

// Dilation spaces the kernel's taps: Dilation(2) reads every other pixel
// (a 3x3 kernel then spans 5x5), Dilation(dh, dw) per axis; PyTorch's
// dilation. Convolutions only; the default is 1.
func Dilation(dh int, dw ...int) ConvOpt {
	return func(o *convOpts) { o.dh, o.dw = dh, pick(dh, dw) }
}

// Groups splits input and output channels into g groups, each output group
// seeing only its input group (AlexNet's two columns); both channel counts
// must divide by g.
func Groups(g int) ConvOpt { return func(o *convOpts) { o.groups = g } }

// NoBias leaves out the bias (as before a batch norm).
func NoBias() ConvOpt { return func(o *convOpts) { o.noBias = true } }

// WithInit sets the initialiser of the layer's weight.
func WithInit(i Init) ConvOpt { return func(o *convOpts) { o.init = i } }

func pick(a int, b []int) int {
	if len(b) > 0 {
		return b[0]
	}
	return a
}

func (n *Net) convOptions(opts []ConvOpt) convOpts {
	o := convOpts{kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, groups: 1, init: n.cfg.Init}
	for _, f := range opts {
		f(&o)
	}
	if o.init == InitDefault {
		o.init = n.cfg.Init
	}
	return o
}

// outSize is floor((in + 2*pad - k)/stride) + 1, or an error when the window
// does not fit.
func outSize(in, k, stride, pad int) (int, error) {
	if k <= 0 || stride <= 0 || pad < 0 {
		return 0, errors.Errorf("kernel %d, stride %d, padding %d: kernel and stride must be positive, padding not negative", k, stride, pad)
	}
	if in+2*pad < k {
		return 0, errors.Errorf("input size %d (padded %d) is smaller than the kernel %d", in, in+2*pad, k)
	}
	return (in+2*pad-k)/stride + 1, nil
}

// Conv adds a 2-D convolution with out output channels: weight
// (out, in, kh, kw) and bias (out). The default kernel is 1x1, stride 1, no
// padding, with a bias.
func (n *Net) Conv(name string, x *Tensor, out int, opts ...ConvOpt) *Tensor {
	if !n.ok(x) || !n.claim(name) {
		return n.fail(nil)
	}
	o := n.convOptions(opts)
	s := x.Shape()
	if len(s) != 4 {
		return n.fail(errors.Errorf("graph: conv %s: input shape %v, want (batch, C, H, W)", name, s))
	}
	if out <= 0 {
		return n.fail(errors.Errorf("graph: conv %s: %d output channels", name, out))
	}
	if o.dh <= 0 || o.dw <= 0 {
		return n.fail(errors.Errorf("graph: conv %s: dilation %dx%d, want positive", name, o.dh, o.dw))
	}
	_, err := outSize(s[2], o.spanH(), o.sh, o.ph)
	if err == nil {
		_, err = outSize(s[3], o.spanW(), o.sw, o.pw)
	}
	if err != nil {
		if o.dh != 1 || o.dw != 1 {
			err = errors.Wrapf(err, "a %dx%d kernel with dilation %dx%d spans %dx%d", o.kh, o.kw, o.dh, o.dw, o.spanH(), o.spanW())
		}
		return n.fail(errors.Wrapf(err, "graph: conv %s on input %s", name, ShapeString(s[1:])))
	}
	cin, g := s[1], o.groups
	if g <= 0 || cin%g != 0 || out%g != 0 {
		return n.fail(errors.Errorf("graph: conv %s: %d groups do not divide %d input and %d output channels", name, g, cin, out))
	}
	w := n.param(name, "weight", []int{out, cin / g, o.kh, o.kw}, o.init, cin/g*o.kh*o.kw, out/g*o.kh*o.kw)
	var b *G.Node
	if !o.noBias {
		b = n.param(name, "bias", []int{1, out, 1, 1}, Zeros, cin*o.kh*o.kw, out)
	}
	y, err := n.conv(x.node, w, b, cin, out, o)
	t := n.wrap(name, y, err)
	if t.node == nil {
		return t
	}
	weights := int64(out * cin / g * o.kh * o.kw)
	macs := weights * prod(t.Shape()[2:])
	var params, other int64 = weights, 0
	if !o.noBias {
		params += int64(out)
		other = t.elems()
	}
	t = n.setDetail(n.record(t, KindConv, params, 0, macs, other), o.kh, o.kw, o.sh, o.sw, o.ph, o.pw, g)
	return n.setDilation(t, o.dh, o.dw)
}

// spanH and spanW are the height and width a dilated kernel covers:
// d*(k-1)+1.
func (o convOpts) spanH() int { return o.dh*(o.kh-1) + 1 }
func (o convOpts) spanW() int { return o.dw*(o.kw-1) + 1 }

// conv convolves x with w and adds the bias b (when not nil). A depthwise
// convolution (one group per input channel) is one dwOp; other groupings
// go group by group: each group's input channels and filters are slices of
// x and w, and the outputs are joined along the channels.
func (n *Net) conv(x, w, b *G.Node, cin, out int, o convOpts) (*G.Node, error) {
	geom := func(x, w *G.Node) (convGeom, error) {
		s := x.Shape()
		oh, err := outSize(s[2], o.spanH(), o.sh, o.ph)
		if err != nil {
			return convGeom{}, err
		}
		ow, err := outSize(s[3], o.spanW(), o.sw, o.pw)
		return convGeom{b: s[0], c: s[1], h: s[2], w: s[3], o: w.Shape()[0], kh: o.kh, kw: o.kw, sh: o.sh, sw: o.sw, ph: o.ph, pw: o.pw,
			dh: o.dh, dw: o.dw, oh: oh, ow: ow}, err
	}
	if o.groups > 1 && o.groups == cin { // depthwise: direct loops, not a matrix product per channel
		g, err := geom(x, w)
		if err != nil {
			return nil, err
		}
		return n.depthwise(g, x, w, b)
	}
	conv := func(x, w, b *G.Node) (*G.Node, error) {
		g, err := geom(x, w)
		if err != nil {
			return nil, err
		}
		op := &convOp{pass: convForward, g: g, bias: b != nil, noDX: n.skipsInputGrad(x), s: n.scratch, cols: n.newColCache(g), team: n.team}
		if b != nil {
			return G.ApplyOp(op, x, w, b)
		}
		return G.ApplyOp(op, x, w)
	}
	if o.groups == 1 {
		return conv(x, w, b)
	}
	ci, co := cin/o.groups, out/o.groups
	xs, ws := x.Shape(), w.Shape()
	parts := make([]*G.Node, o.groups)
	for i := range parts {
		// Gorgonia's Slice drops an axis one wide (one channel per group,
		// as in a depthwise convolution): reshape the slices back to 4-D.
		xi, err := G.Slice(x, nil, G.S(i*ci, (i+1)*ci))
		if err == nil {
			xi, err = G.Reshape(xi, tensor.Shape{xs[0], ci, xs[2], xs[3]})
		}
		if err != nil {
			return nil, err
		}
		wi, err := G.Slice(w, G.S(i*co, (i+1)*co))
		if err == nil {
			wi, err = G.Reshape(wi, tensor.Shape{co, ws[1], ws[2], ws[3]})
		}
		if err != nil {
			return nil, err
		}
		if parts[i], err = conv(xi, wi, nil); err != nil {
			return nil, err
		}
	}
	y, err := G.Concat(1, parts...)
	if err == nil && b != nil {
		y, err = G.BroadcastAdd(y, b, nil, []byte{0, 2, 3})
	}
	return y, err
}

// depthwise applies one dwOp: x by w (one filter group per input channel),
// plus the bias b when not nil.
func (n *Net) depthwise(g convGeom, x, w, b *G.Node) (*G.Node, error) {
	op := &dwOp{pass: convForward, g: g, bias: b != nil, noDX: n.skipsInputGrad(x), team: n.team}
	if b != nil {
		return G.ApplyOp(op, x, w, b)
	}
	return G.ApplyOp(op, x, w)
}
