package mnist

import "github.com/convnets/convnets/train"

// JobData loads MNIST from dir (DefaultDir when empty) for a job: the first
// limitTrain training images (all when 0), of which the last val are held
// out for validation, and the first limitTest test images.
func JobData(dir string, limitTrain, limitTest, val int) (train.Data, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return train.Data{}, err
		}
		dir = d
	}
	tr, err := Load(dir, Train)
	if err != nil {
		return train.Data{}, err
	}
	te, err := Load(dir, Test)
	if err != nil {
		return train.Data{}, err
	}
	out := train.Data{Train: tr.Head(limitTrain), Test: te.Head(limitTest)}
	if val > 0 {
		if out.Train, out.Val, err = out.Train.Split(val); err != nil {
			return train.Data{}, err
		}
	}
	return out, nil
}
