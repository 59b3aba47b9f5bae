package arch

import "github.com/convnets/convnets/graph"

// ConvBN is the conv unit of the batch-normalised Inception networks: a
// convolution without bias, batch norm (its layer named name+"/bn") and a
// ReLU (batch norm and ReLU as one op, see graph.Net.BatchNormReLU).
func ConvBN(n *graph.Net, name string, x *graph.Tensor, out int, opts ...graph.ConvOpt) *graph.Tensor {
	opts = append(opts, graph.NoBias())
	return n.BatchNormReLU(name+"/bn", n.Conv(name, x, out, opts...))
}
