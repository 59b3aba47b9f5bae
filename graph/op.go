package graph

import (
	"hash/fnv"

	G "gorgonia.org/gorgonia"
)

// hashOf is the Hashcode of convnets' own ops: the FNV-1a hash of what
// their WriteHash writes.
func hashOf(op G.Op) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
