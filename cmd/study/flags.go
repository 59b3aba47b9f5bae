package study

import "flag"

// AddFlags registers o's fields as the study command's flags on fs, with
// their defaults.
func (o *Options) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.Dataset, "dataset", "fashion-mnist", "dataset: fashion-mnist or mnist")
	fs.StringVar(&o.Data, "data", "", "folder of the dataset's four IDX files (default: its own copy)")
	fs.IntVar(&o.Seeds, "seeds", 1, "train every network with seeds 1..K and report mean and standard deviation (a larger K on a study folder adds seeds)")
	fs.IntVar(&o.Epochs, "epochs", 0, "epochs of every network (default: each one's recipe)")
	fs.IntVar(&o.Batch, "batch", 0, "batch of every network (default: each one's recipe)")
	fs.DurationVar(&o.Budget, "budget", 0, "equal wall time: every network trains for the epochs that take about this long here (e.g. 20m)")
	fs.IntVar(&o.Parallel, "parallel", 1, "trainings side by side")
	fs.IntVar(&o.LimitTrain, "limit-train", 0, "use only the first N training images (0: all)")
	fs.IntVar(&o.LimitTest, "limit-test", 0, "use only the first N test images (0: all)")
	fs.IntVar(&o.Val, "val", 0, "hold out the last N training images for validation (default: the study's, 10,000 where it needs curves)")
	fs.StringVar(&o.Records, "records", "", "folder that keeps every finished run's record without its weights (job.json, metrics.csv, versions.json) and the plan: the study continues from it on another machine")
}
