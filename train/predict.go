package train

import (
	"math"

	"github.com/convnets/convnets/graph"
	"github.com/pkg/errors"
)

// Predictions are a model's answers on a dataset.
type Predictions struct {
	Pred   []int // argmax class per image
	Labels []int // true class per image
	Loss   float64
}

// Accuracy is the fraction of Pred equal to Labels.
func (p *Predictions) Accuracy() float64 {
	if len(p.Pred) == 0 {
		return 0
	}
	ok := 0
	for i, c := range p.Pred {
		if c == p.Labels[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(p.Pred))
}

// Predict runs the forward machine (evaluation mode) over every image of
// ds in order; the last batch is padded with zeros and the padding ignored.
// Loss is the mean cross-entropy over the images.
func Predict(p *graph.Program, ds *Dataset) (*Predictions, error) {
	cfg := p.Net().Config()
	if ds.Shape != cfg.Input {
		return nil, errors.Errorf("dataset %s has images of %v, the network takes %v", ds.Name, ds.Shape, cfg.Input)
	}
	b, k := cfg.Batch, cfg.Classes
	out := &Predictions{Pred: make([]int, 0, ds.Len()), Labels: make([]int, 0, ds.Len())}
	idx := make([]int, 0, b)
	labels := make([]int, b)
	var sum float64
	for start := 0; start < ds.Len(); start += b {
		idx = idx[:0]
		for i := start; i < start+b && i < ds.Len(); i++ {
			idx = append(idx, i)
		}
		ds.Fill(p.Input(), labels, idx)
		if err := p.Forward(); err != nil {
			return nil, err
		}
		logits := p.Logits()
		for r := range idx {
			row := logits[r*k : (r+1)*k]
			pred, nll := argmaxNLL(row, labels[r])
			if math.IsNaN(nll) {
				return nil, errors.Errorf("NaN in the network's output on image %d of %s", idx[r], ds.Name)
			}
			sum += nll
			out.Pred = append(out.Pred, pred)
			out.Labels = append(out.Labels, labels[r])
		}
	}
	if ds.Len() > 0 {
		out.Loss = sum / float64(ds.Len())
	}
	return out, nil
}

// argmaxNLL returns the argmax of logits and -log softmax(logits)[label].
func argmaxNLL(logits []float32, label int) (int, float64) {
	best := 0
	for i, v := range logits {
		if v > logits[best] {
			best = i
		}
	}
	m := float64(logits[best])
	var z float64
	for _, v := range logits {
		z += math.Exp(float64(v) - m)
	}
	return best, m + math.Log(z) - float64(logits[label])
}
