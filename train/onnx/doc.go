// Package onnx writes a convnets network as an ONNX model (opset 17) that
// ONNX Runtime, Netron and the other runtimes read: each row of the Net's
// cost ledger becomes ONNX nodes, its weights initializers, in evaluation
// mode (batch norm with its running statistics, dropout the identity). The
// protobuf messages are package onnxpb, generated from ONNX's own
// onnx.proto with google.golang.org/protobuf.
package onnx
