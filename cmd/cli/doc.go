// Package cli is the convnets command line as a library: every subcommand
// (train, eval, export, predict, serve, summary, compare, plot, diagram,
// bench, leaderboard, study, list) over any registry of networks.
// cmd/convnets is Run(os.Args[1:], arch.Builtin()); a program that
// registers networks of its own gets every subcommand for them the same
// way.
package cli
