package train

import "fmt"

// Preprocessing says how convnets feeds images to a network, for the
// metadata of exported weights: a PyTorch user must do the same. norm is
// the job's normalisation (nil: none).
func Preprocessing(norm *Normalization) string {
	n := "no mean or standard-deviation normalisation"
	if norm != nil {
		n = fmt.Sprintf("then normalised as (x - %.9g) / %.9g (the training images' pixel mean and standard deviation)", norm.Mean, norm.Std)
	}
	return "pixels scaled to [0, 1] (x / 255), " + n + "; " +
		"28x28 images resized to the network's input with bilinear interpolation (PyTorch's interpolate, " +
		"align_corners=False) when it differs; NCHW float32"
}
