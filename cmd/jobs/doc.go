// Package jobs is convnets' library of training jobs by architecture name:
// what the convnets command does, for programs of their own. It resolves a
// job from a job file and overrides (Merge), trains it into a run
// directory or resumes one (Run, Resume), opens a run's weights or a
// safetensors file as a compiled Model with its test set (OpenRun,
// OpenWeights), exports a run for PyTorch (Export), tabulates finished runs
// (LeaderRow) and times networks against PyTorch (Bench). Its flag groups
// (AddFlags, AddModelFlags, AddArchFlags, AddFormatFlags) give a program's
// own command line convnets' flags, and Process runs a command as convnets
// runs it (interrupts, MPI ranks).
//
// It joins arch's registry with train's loop, which train itself may not
// import; the CLI (package cli) only parses flags, calls it and prints.
package jobs
