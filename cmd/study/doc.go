// Package study measures the lecture's accuracy claims: each study trains
// a set of networks (arms) with seeds into one folder of run directories,
// resumably, then writes a report whose every number comes from those runs:
// a Markdown table with plots and a JSON file, and a verdict on each claim
// ("supported", "not supported" or "within noise", with the figures). The
// studies: inception (Inception against pure 3x3 and 5x5 convolutions at
// network scale, and v3's factorisations), batchnorm (LeNet with and
// without batch norm across learning rates), depth (the leaderboard's
// networks, and deep-narrow against wide-shallow), alexnet (what AlexNet
// changed from LeNet) and inception-versions (v3, v4, Inception-ResNet-v2
// against Inception-BN).
package study
