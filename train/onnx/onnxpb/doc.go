// Package onnxpb holds ONNX's protobuf messages (ModelProto, GraphProto,
// NodeProto, TensorProto...), generated from onnx.proto of ONNX 1.12
// (Debian's libonnx-dev) by protoc-gen-go:
//
//	apt-get install protobuf-compiler libonnx-dev
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//	protoc -I /usr/include/onnx --go_out=train/onnx/onnxpb --go_opt=paths=source_relative \
//	  --go_opt=Monnx.proto=github.com/convnets/convnets/train/onnx/onnxpb onnx.proto
package onnxpb
