package jobs

// InputError marks an error in what the caller asked for (a name, a
// value, a file's key) rather than a failure while doing it: the CLI exits
// with status 2 for it, as for a bad flag.
type InputError struct{ Err error }

func (e InputError) Error() string { return e.Err.Error() }

// Unwrap returns the error itself.
func (e InputError) Unwrap() error { return e.Err }
