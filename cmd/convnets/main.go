package main

import (
	"os"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/cmd/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], arch.Builtin())) }
