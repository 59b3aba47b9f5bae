// Package datasets names the image sets convnets trains on (MNIST and
// Fashion-MNIST, two copies of one IDX format), finds their files, checks
// them against the SHA-256 hashes a run recorded, and loads them for a
// job: limits, the validation split, class names and normalisation.
package datasets
