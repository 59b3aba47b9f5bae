package eval

import (
	"fmt"
	"io"

	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
	"github.com/pkg/errors"
)

// Accuracy is a trained network's score on a dataset.
type Accuracy struct {
	N        int       `json:"n"`
	Loss     float64   `json:"loss"`
	Accuracy float64   `json:"accuracy"` // top-1, a fraction
	PerClass []float64 `json:"per_class"`
	// Confusion[t][p] counts images of true class t predicted as p.
	Confusion [][]int `json:"confusion"`
	// Classes names the classes in order (nil: their numbers).
	Classes []string `json:"classes,omitempty"`
}

// ClassName is the name of class c: its entry in Classes, else its
// number.
func (a *Accuracy) ClassName(c int) string {
	if c >= 0 && c < len(a.Classes) {
		return a.Classes[c]
	}
	return fmt.Sprint(c)
}

// Evaluate runs p (in evaluation mode) over ds and scores it.
func Evaluate(p *graph.Program, ds *train.Dataset) (*Accuracy, error) {
	if ds.Len() == 0 {
		return nil, errors.Errorf("eval: the dataset %s has no images: no accuracy to report", ds.Name)
	}
	pr, err := train.Predict(p, ds)
	if err != nil {
		return nil, err
	}
	a, err := Score(pr, p.Net().Config().Classes)
	if err == nil && len(ds.ClassNames) == len(a.Confusion) {
		a.Classes = ds.ClassNames
	}
	return a, err
}

// Score turns predictions into an Accuracy for k classes.
func Score(pr *train.Predictions, k int) (*Accuracy, error) {
	a := &Accuracy{N: len(pr.Pred), Loss: pr.Loss, Accuracy: pr.Accuracy(), Confusion: make([][]int, k), PerClass: make([]float64, k)}
	for i := range a.Confusion {
		a.Confusion[i] = make([]int, k)
	}
	for i, p := range pr.Pred {
		t := pr.Labels[i]
		if t < 0 || t >= k || p < 0 || p >= k {
			return nil, errors.Errorf("eval: class %d or %d outside [0, %d)", t, p, k)
		}
		a.Confusion[t][p]++
	}
	for t, row := range a.Confusion {
		total := 0
		for _, c := range row {
			total += c
		}
		if total > 0 {
			a.PerClass[t] = float64(row[t]) / float64(total)
		}
	}
	return a, nil
}

// Write prints the accuracy, per-class accuracy and confusion matrix.
func (a *Accuracy) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "images %d  loss %.4f  accuracy %.2f%%\n\nper class:\n", a.N, a.Loss, 100*a.Accuracy)
	label := func(c int) string {
		if n := a.ClassName(c); n != fmt.Sprint(c) {
			return fmt.Sprintf("%d %s", c, n)
		}
		return fmt.Sprint(c)
	}
	nw := 2
	for c := range a.PerClass {
		nw = max(nw, len(label(c)))
	}
	for c, v := range a.PerClass {
		fmt.Fprintf(w, "  %-*s  %6.2f%%\n", nw, label(c), 100*v)
	}
	fmt.Fprintf(w, "\nconfusion (rows: true class, columns: predicted):\n  %*s ", nw, "")
	for c := range a.Confusion {
		fmt.Fprintf(w, "%6d", c)
	}
	fmt.Fprintln(w)
	for t, row := range a.Confusion {
		fmt.Fprintf(w, "  %-*s ", nw, label(t))
		for _, c := range row {
			fmt.Fprintf(w, "%6d", c)
		}
		fmt.Fprintln(w)
	}
	return err
}
