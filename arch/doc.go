// Package arch defines the classic CNN architectures as graph.Net builders,
// one file per family, and a Registry that maps names ("lenet5",
// "lenet5-relu") to them with their default input and classes.
//
// A user adds a network of their own by writing a Builder with graph's
// layers and registering it: training, evaluation and cost summaries then
// work for it as for the built-in ones.
package arch
