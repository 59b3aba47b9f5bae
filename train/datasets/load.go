package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/convnets/convnets/internal/safefile"
	"github.com/convnets/convnets/train"
	"github.com/convnets/convnets/train/mnist"
	"github.com/pkg/errors"
)

// Hash returns the SHA-256 of each of the four IDX files in dir, by file
// name.
func Hash(dir string) (map[string]string, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, errors.Wrap(err, "data folder")
	} else if !st.IsDir() {
		return nil, errors.Errorf("data folder %s is not a folder", dir)
	}
	paths, err := mnist.Files(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		sum, err := hashFile(p)
		if err != nil {
			return nil, err
		}
		out[filepath.Base(p)] = sum
	}
	return out, nil
}

func hashFile(path string) (string, error) {
	f, _, err := safefile.Open(path)
	if err != nil {
		return "", errors.Wrap(err, "dataset")
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return "", errors.Wrap(err, "dataset")
	} else if !st.Mode().IsRegular() {
		return "", errors.Errorf("dataset: %s is not a regular file", path)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", errors.Wrapf(err, "dataset: reading %s", path)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Bind resolves the data of a new job: the folder (job.Data, else the
// named dataset's own copy), the name (recognised from the files' hashes
// when the job names none) and the hashes, which it records in the job.
// job.Data stays as given (made absolute): empty when the job named no
// folder, so that job.json holds no path of this machine.
func Bind(job *train.Job) error {
	if job.Dataset != "" {
		if _, err := Lookup(job.Dataset); err != nil {
			return err
		}
	}
	dir, err := folder(job.Dataset, job.Data)
	if err != nil {
		return err
	}
	if job.Data != "" {
		if job.Data, err = filepath.Abs(job.Data); err != nil {
			return errors.Wrap(err, "dataset")
		}
	}
	hashes, err := Hash(dir)
	if err != nil {
		return errors.Wrapf(err, "dataset %s", label(job.Dataset))
	}
	switch known := Identify(hashes); {
	case job.Dataset == "":
		job.Dataset = known
	case known != "" && known != job.Dataset:
		return errors.Errorf("dataset %s: %s holds the files of %s", job.Dataset, dir, known)
	}
	job.DataSHA256 = hashes
	return nil
}

// label names a dataset in messages: its name, or "IDX files" for a folder
// that is none of the known datasets.
func label(name string) string {
	if name == "" {
		return "IDX files"
	}
	return name
}

// folder is where the files are: dir when given, else the named dataset's
// own copy (MNIST's when no name is given).
func folder(name, dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return Dir(nameOf(name))
}

func nameOf(name string) string {
	if name == "" {
		return Default
	}
	return name
}

// Load loads the data of a job that Bind resolved (or of a run made before
// datasets had names): from override when it is not empty, else job.Data,
// else the named dataset's own copy; the files must have the hashes the job
// recorded. It applies the job's limits, validation split and
// normalisation, and names the classes.
func Load(job train.Job, override string) (train.Data, error) {
	if job.Dataset != "" {
		if _, err := Lookup(job.Dataset); err != nil {
			return train.Data{}, errors.Wrap(err, `job: "dataset"`)
		}
	}
	if job.Normalize != nil && *job.Normalize == (train.Normalization{}) {
		return train.Data{}, errors.New(`job: "normalize" has no mean and std (only a new run computes them)`)
	}
	dir := override
	if dir == "" && job.Data != "" {
		dir = job.Data
		if _, err := os.Stat(dir); err != nil && job.Dataset != "" {
			dir = "" // moved to another machine: look for the named copy
		}
	}
	dir, err := folder(job.Dataset, dir)
	if err != nil {
		return train.Data{}, err
	}
	if job.DataSHA256 != nil {
		if err := verify(dir, job); err != nil {
			return train.Data{}, err
		}
	}
	tr, err := mnist.LoadHead(dir, mnist.Train, job.LimitTrain)
	if err != nil {
		return train.Data{}, err
	}
	te, err := mnist.LoadHead(dir, mnist.Test, job.LimitTest)
	if err != nil {
		return train.Data{}, err
	}
	names := ClassNames(job.Dataset, tr.Classes)
	tr.ClassNames, te.ClassNames = names, names
	if job.Dataset != "" { // messages name the dataset, not a file of this machine
		tr.Name, te.Name = job.Dataset+" training images", job.Dataset+" test images"
	}
	out := train.Data{Train: tr.Head(job.LimitTrain), Test: te.Head(job.LimitTest)}
	if out.Test.Len() == 0 {
		return train.Data{}, errors.Errorf("test set %s: no images, so no accuracy to report", te.Name)
	}
	if job.Val > 0 {
		if out.Train, out.Val, err = out.Train.Split(job.Val); err != nil {
			return train.Data{}, err
		}
	}
	Normalise(out, job.Normalize)
	return out, nil
}

// Normalise sets the normalisation n (nil: none) on every split of d.
func Normalise(d train.Data, n *train.Normalization) {
	for _, ds := range []*train.Dataset{d.Train, d.Val, d.Test} {
		if ds == nil {
			continue
		}
		ds.Mean, ds.Std = 0, 0
		if n != nil {
			ds.Mean, ds.Std = float32(n.Mean), float32(n.Std)
		}
	}
}

// verify checks the files in dir against the job's hashes.
func verify(dir string, job train.Job) error {
	if len(job.DataSHA256) != 4 {
		return errors.Errorf(`job: "data_sha256" holds %d hashes, want the four files'`, len(job.DataSHA256))
	}
	got, err := Hash(dir)
	if err != nil {
		return errors.Wrapf(err, "dataset %s", label(job.Dataset))
	}
	for name, want := range job.DataSHA256 {
		sum, ok := got[name]
		switch {
		case !ok:
			return errors.Errorf("dataset %s: %s has no %s, which the run was made with: pass -data DIR with the run's copy", label(job.Dataset), dir, name)
		case sum != want:
			return errors.Errorf("dataset %s: %s has SHA-256 %.12s..., the run recorded %.12s...: not the data the run was made with; pass -data DIR with that copy",
				label(job.Dataset), filepath.Join(dir, name), sum, want)
		}
	}
	return nil
}

// ClassNames returns the names of the classes of the named dataset, or the
// label numbers for a folder that is none of the known ones.
func ClassNames(name string, classes int) []string {
	if src, err := Lookup(nameOf(name)); err == nil && len(src.Classes) == classes {
		return src.Classes
	}
	out := make([]string, classes)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

// Stats returns the normalisation of the training images of d: their pixel
// mean and standard deviation.
func Stats(d train.Data) (*train.Normalization, error) {
	mean, std, err := train.PixelStats(d.Train)
	if err != nil {
		return nil, err
	}
	if !(std > 0) {
		return nil, errors.Errorf("dataset %s: every pixel has the same value; cannot normalise", d.Train.Name)
	}
	return &train.Normalization{Mean: mean, Std: std}, nil
}
