package study

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/weights"
)

// recordFiles are what a finished run's report needs: its job, its
// epochs and the versions that trained it, without weights (a few
// kilobytes a run, small enough to keep under version control).
var recordFiles = []string{train.JobFile, train.MetricsFile, train.VersionsFile}

// maxRecordFile bounds a record file read back from a records folder.
const maxRecordFile = 16 << 20

// finished says whether the run in dir has ended: its final weights are
// there, or its record is whole (the job and a metrics line for each of
// its epochs), as in a study folder carried to another machine without
// its weights.
func finished(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, train.WeightsFile)); err == nil {
		return true
	}
	return recorded(dir)
}

// recorded says whether dir holds a whole record of a finished run.
func recorded(dir string) bool {
	job, err := train.ReadJob(dir)
	if err != nil {
		return false
	}
	epochs, err := train.ReadMetrics(filepath.Join(dir, train.MetricsFile))
	return err == nil && len(epochs) >= job.Epochs
}

// restorePlan copies the records folder's plan into the study folder dir
// unless dir has one, and says whether it did.
func restorePlan(records, dir string) (bool, error) {
	from, to := filepath.Join(records, PlanFile), filepath.Join(dir, PlanFile)
	if _, err := os.Stat(to); err == nil {
		return false, nil
	}
	if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return true, copyFile(from, to)
}

// checkRecordsPlan refuses a records folder whose plan is another
// study's, or has other options or other epochs than the study folder's
// (the seeds aside): its runs would not be this study's.
func checkRecordsPlan(records, dir string) error {
	theirs, err := readPlan(filepath.Join(records, PlanFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("records %s: %w", records, err)
	}
	ours, err := readPlan(filepath.Join(dir, PlanFile))
	if err != nil {
		return err
	}
	theirs.Seeds, ours.Seeds = 0, 0
	if fmt.Sprintf("%+v", theirs) != fmt.Sprintf("%+v", ours) {
		return fmt.Errorf("records %s hold %w than the study folder %s (%s): give other -records", records, errOtherPlan, dir, PlanFile)
	}
	return nil
}

// restoreRecords copies into the study folder dir the whole records that
// the records folder holds and dir lacks, so that a study begun on
// another machine continues without retraining its finished runs.
func restoreRecords(records, dir string, runs []run) error {
	for _, r := range runs {
		from := filepath.Join(records, relRun(dir, r))
		if !recorded(from) || finished(r.dir) {
			continue
		}
		if _, err := os.Stat(filepath.Join(r.dir, train.JobFile)); err == nil {
			return fmt.Errorf("run %s has begun here and %s holds it finished: remove one of them", r.dir, from)
		}
		if err := os.MkdirAll(r.dir, 0o755); err != nil {
			return err
		}
		for _, f := range recordFiles {
			if err := copyMissing(filepath.Join(from, f), filepath.Join(r.dir, f)); err != nil {
				return err
			}
		}
	}
	return nil
}

// saveRecord copies the plan and a finished run's record from the study
// folder dir into the records folder.
func saveRecord(records, dir string, r run) error {
	to := filepath.Join(records, relRun(dir, r))
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(dir, PlanFile), filepath.Join(records, PlanFile)); err != nil {
		return err
	}
	for _, f := range recordFiles {
		if err := copyFile(filepath.Join(r.dir, f), filepath.Join(to, f)); err != nil {
			return err
		}
	}
	return nil
}

// relRun is a run's folder relative to its study folder.
func relRun(dir string, r run) string {
	rel, err := filepath.Rel(dir, r.dir)
	if err != nil {
		return r.dir
	}
	return rel
}

// copyMissing copies from to to unless to exists; a missing from is no
// error.
func copyMissing(from, to string) error {
	if _, err := os.Stat(to); err == nil {
		return nil
	}
	if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return copyFile(from, to)
}

// copyFile copies a small file, replacing to atomically.
func copyFile(from, to string) error {
	b, err := safefile.ReadFile(from, "study record", maxRecordFile)
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	return weights.WriteFileAtomic(to, b)
}
