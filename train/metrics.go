package train

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"

	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train/weights"
	"github.com/pkg/errors"
)

// MetricsHeader is the first row of metrics.csv.
var MetricsHeader = []string{"epoch", "step", "train_loss", "train_acc", "val_loss", "val_acc",
	"test_loss", "test_acc", "lr", "seconds", "images_per_s", "rss_mb"}

type metricsWriter struct {
	f *os.File
	w *csv.Writer
}

// openMetrics creates metrics.csv with its header, or, when a run resumes
// in epoch resumeEpoch (> 0), appends to it after dropping the rows of that
// epoch and later ones: the row of an epoch is written before its
// checkpoint, so a run stopped between the two runs that epoch again and
// would list it twice.
func openMetrics(path string, resumeEpoch int) (*metricsWriter, error) {
	flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if resumeEpoch > 0 {
		if err := trimMetrics(path, resumeEpoch); err != nil {
			return nil, err
		}
		flags = os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return nil, errors.Wrap(err, "metrics")
	}
	m := &metricsWriter{f: f, w: csv.NewWriter(f)}
	if resumeEpoch > 0 {
		return m, nil
	}
	if err := m.w.Write(MetricsHeader); err != nil {
		f.Close()
		return nil, errors.Wrap(err, "metrics")
	}
	m.w.Flush()
	return m, errors.Wrap(m.w.Error(), "metrics")
}

// maxMetricsFile is the largest metrics.csv read (a row is about 150
// bytes: this is far more epochs than any run has).
const maxMetricsFile = 64 << 20

// trimMetrics rewrites metrics.csv (atomically) without the rows of epoch
// and later; a missing file is written with its header alone.
func trimMetrics(path string, epoch int) error {
	var records [][]string
	if b, err := safefile.ReadFile(path, "metrics file", maxMetricsFile); err == nil {
		r := csv.NewReader(strings.NewReader(string(b)))
		r.FieldsPerRecord = -1 // a row cut off by a crash is dropped, not an error
		if records, err = r.ReadAll(); err != nil {
			return errors.Wrapf(err, "metrics: %s", path)
		}
	} else if !os.IsNotExist(err) {
		return errors.Wrap(err, "metrics")
	}
	keep := [][]string{MetricsHeader}
	for i, r := range records {
		if i == 0 || len(r) != len(MetricsHeader) {
			continue // the header, or a row cut off
		}
		if e, err := strconv.Atoi(r[0]); err == nil && e < epoch {
			keep = append(keep, r)
		}
	}
	if len(keep) == len(records) {
		return nil // nothing to drop
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(keep); err != nil {
		return errors.Wrap(err, "metrics")
	}
	return weights.WriteFileAtomic(path, []byte(b.String()))
}

// Write appends one epoch's row and flushes it to the file.
func (m *metricsWriter) Write(s EpochStats) error {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	row := []string{strconv.Itoa(s.Epoch), strconv.FormatInt(s.Step, 10), g(s.TrainLoss), g(s.TrainAcc),
		g(s.ValLoss), g(s.ValAcc), g(s.TestLoss), g(s.TestAcc), g(s.LR), g(s.Seconds), g(s.ImagesSec), g(s.RSSMB)}
	if err := m.w.Write(row); err != nil {
		return errors.Wrap(err, "metrics")
	}
	m.w.Flush()
	return errors.Wrap(m.w.Error(), "metrics")
}

func (m *metricsWriter) Close() error { return m.f.Close() }

// ReadMetrics reads a run's metrics.csv back, one EpochStats per row.
func ReadMetrics(path string) ([]EpochStats, error) {
	f, _, err := safefile.Open(path)
	if err != nil {
		return nil, errors.Wrap(err, "metrics")
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(MetricsHeader)
	rows, err := r.ReadAll()
	if err != nil {
		return nil, errors.Wrapf(err, "metrics %s", path)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(MetricsHeader, ",") {
		return nil, errors.Errorf("metrics %s: the first row is not the header %s", path, strings.Join(MetricsHeader, ","))
	}
	out := make([]EpochStats, 0, len(rows)-1)
	for i, row := range rows[1:] {
		var v [12]float64
		for j, cell := range row {
			if v[j], err = strconv.ParseFloat(cell, 64); err != nil {
				return nil, errors.Errorf("metrics %s: row %d, column %s: %q is not a number", path, i+2, MetricsHeader[j], cell)
			}
		}
		out = append(out, EpochStats{Epoch: int(v[0]), Step: int64(v[1]), TrainLoss: v[2], TrainAcc: v[3], ValLoss: v[4], ValAcc: v[5],
			TestLoss: v[6], TestAcc: v[7], LR: v[8], Seconds: v[9], ImagesSec: v[10], RSSMB: v[11]})
	}
	return out, nil
}
