package study

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/weights"
)

// recordFiles are what a finished run's report needs: its epochs, the
// versions and machine that trained it, and its job, without weights (a
// few kilobytes a run, small enough to keep under version control). The
// job is copied last, so that a copy cut short is not a whole record.
var recordFiles = []string{train.MetricsFile, train.VersionsFile, train.JobFile}

// maxRecordFile bounds a record file read back from a records folder.
const maxRecordFile = 16 << 20

// finished says whether the run in dir has ended: its final weights are
// there, or it is a record carried from another machine: a whole record
// (the job and a metrics line for each of its epochs) with no checkpoint
// (a run of this machine that stopped before writing its weights has one,
// and resumes from it).
func finished(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, train.WeightsFile)); err == nil {
		return true
	}
	if _, err := os.Stat(filepath.Join(dir, train.LastCheckpoint)); err == nil {
		return false
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
// unless dir has one, with the data folder of this machine's options (the
// same files may lie elsewhere here: the runs' jobs record their hashes),
// and says whether it did.
func restorePlan(records, dir, data string) (bool, error) {
	to := filepath.Join(dir, PlanFile)
	if _, err := os.Stat(to); err == nil {
		return false, nil
	}
	p, err := readPlan(filepath.Join(records, PlanFile))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("records %s: %w", records, err)
	}
	p.Data = data
	return true, writePlan(to, p)
}

// checkRecordsPlan refuses a records folder whose plan is another
// study's, or has other options or other epochs than the study folder's
// (the seeds, the data folder and the arms only one of them holds aside:
// a study may gain arms): its runs would not be this study's. Records
// without a plan are refused too.
func checkRecordsPlan(records, dir string) error {
	theirs, err := readPlan(filepath.Join(records, PlanFile))
	if errors.Is(err, os.ErrNotExist) {
		entries, _ := os.ReadDir(records)
		if len(entries) == 0 {
			return nil // new records
		}
		return fmt.Errorf("records %s hold files but no %s: not a study's records", records, PlanFile)
	}
	if err != nil {
		return fmt.Errorf("records %s: %w", records, err)
	}
	ours, err := readPlan(filepath.Join(dir, PlanFile))
	if err != nil {
		return err
	}
	theirs.Seeds, ours.Seeds = 0, 0
	theirs.Data, ours.Data = "", ""
	theirs.ArmEpochs, ours.ArmEpochs = common(theirs.ArmEpochs, ours.ArmEpochs)
	if fmt.Sprintf("%+v", theirs) != fmt.Sprintf("%+v", ours) {
		return fmt.Errorf("records %s hold %w than the study folder %s (%s): give other -records", records, errOtherPlan, dir, PlanFile)
	}
	return nil
}

// common is the arms' epochs of a and b restricted to the arms both hold.
func common(a, b map[string]int) (map[string]int, map[string]int) {
	ca, cb := map[string]int{}, map[string]int{}
	for name, e := range a {
		if f, ok := b[name]; ok {
			ca[name], cb[name] = e, f
		}
	}
	return ca, cb
}

// keepRecords sets up the records folder of a study: it checks the plans,
// copies the records of finished runs that dir lacks, saves those of runs
// that finished here before records were kept, and returns what saves a
// run's record when it ends.
func keepRecords(records, dir string, arms []Arm, runs []run) (func(run) error, error) {
	if err := checkRecordsPlan(records, dir); err != nil {
		return nil, err
	}
	if err := restoreRecords(records, dir, arms, runs); err != nil {
		return nil, err
	}
	save := func(r run) error { return saveRecord(records, dir, r) }
	for _, r := range runs {
		if finished(r.dir) {
			if err := save(r); err != nil {
				return nil, err
			}
		}
	}
	return save, nil
}

// restoreRecords copies into the study folder dir the whole records that
// the records folder holds and dir lacks, so that a study begun on
// another machine continues without retraining its finished runs. A
// record must be of its arm's job with its seed.
func restoreRecords(records string, dir string, arms []Arm, runs []run) error {
	for _, r := range runs {
		from := filepath.Join(records, relRun(dir, r))
		if !recorded(from) || finished(r.dir) {
			continue
		}
		have, err := train.ReadJob(from)
		if err != nil {
			return err
		}
		want := arms[r.arm].Job
		want.Seed = r.seed
		if !sameJob(want, have) {
			return fmt.Errorf("record %s is not of the study's %s with seed %d (another job.json): remove it or give other -records", from, arms[r.arm].Name, r.seed)
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

// sameJob says whether a run's job.json (have) is the study arm's job
// (want): equal but for what a run fills in or a machine changes (the
// data folder and its hashes, the ranks; the replicas and normalisation
// where the arm leaves them to their defaults).
func sameJob(want, have train.Job) bool {
	want.Data, have.Data = "", ""
	want.DataSHA256, have.DataSHA256 = nil, nil
	want.Ranks, have.Ranks = 0, 0
	if want.Replicas <= 0 {
		want.Replicas = have.Replicas
	}
	if want.Normalize == nil {
		want.Normalize = have.Normalize
	}
	a, errA := json.Marshal(want)
	b, errB := json.Marshal(have)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// saveRecord copies the plan and a finished run's record from the study
// folder dir into the records folder. A record there already is kept; one
// that differs from the run's is an error (another machine's run of the
// same seed), never overwritten.
func saveRecord(records, dir string, r run) error {
	to := filepath.Join(records, relRun(dir, r))
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(dir, PlanFile), filepath.Join(records, PlanFile)); err != nil {
		return err
	}
	for _, f := range recordFiles {
		from, dst := filepath.Join(r.dir, f), filepath.Join(to, f)
		if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) && f == train.VersionsFile {
			continue // runs from before versions.json
		}
		mine, err := safefile.ReadFile(from, "study record", maxRecordFile)
		if err != nil {
			return fmt.Errorf("records: %w", err)
		}
		theirs, err := os.ReadFile(dst)
		switch {
		case err == nil && !bytes.Equal(mine, theirs):
			return fmt.Errorf("records: %s differs from the run's %s: two runs of one seed; remove one of them", dst, from)
		case err == nil:
			continue
		case !errors.Is(err, os.ErrNotExist):
			return err
		}
		if err := weights.WriteFileAtomic(dst, mine); err != nil {
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
