// Command convnets trains, evaluates and measures the classic CNN
// architectures on MNIST and Fashion-MNIST. Run `convnets help` for the
// subcommands; package cmd/cli holds them, so that a program of your own
// can offer them for networks it registers.
package main
