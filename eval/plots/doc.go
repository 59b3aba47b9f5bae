// Package plots draws what package eval measures, with gonum/plot: learning
// curves of runs, confusion matrices, parameters and MACs per layer or
// stage, and writes a finished run's report (report.md with its plots).
// It is apart from eval so that a program that wants only the numbers
// does not link a plotting library.
package plots
