package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/convnets/convnets/cmd/jobs"
)

func runPredict(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("predict", flag.ContinueOnError)
	mf := jobs.AddModelFlags(fs)
	invert := fs.String("invert", "auto", "turn dark strokes on a light background into MNIST's light on black: auto (when the border is light), yes or no")
	top := fs.Int("top", 3, "classes to print per image")
	asJSON := fs.Bool("json", false, "print one JSON object per image, a line each")
	images, err := parseInterleaved(e, fs, "convnets predict -run runs/lenet5-relu digit.png\n  convnets predict -weights lenet.safetensors -invert no a.png b.jpg", args)
	if err != nil {
		return err
	}
	inv, err := jobs.ParseInvert(*invert)
	switch {
	case err != nil:
		return err
	case len(images) == 0:
		return usageError{fmt.Errorf("name one image file or more (PNG, JPEG or GIF)")}
	case *top <= 0:
		return usageError{fmt.Errorf("-top %d: must be positive", *top)}
	}
	pixels, err := jobs.LoadImages(images, 28, inv)
	if err != nil {
		return err
	}
	m, err := mf.Open(e.reg, "", jobs.WeightsOptions{Batch: 1, NoTestSet: true})
	if err != nil {
		return err
	}
	defer m.Close()
	guesses, err := m.Classify(pixels)
	if err != nil {
		return err
	}
	return jobs.WriteGuesses(e.stdout, images, guesses, *top, *asJSON)
}
