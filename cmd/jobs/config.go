package jobs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/graph"
	"github.com/convnets/convnets/train"
)

// ArchConfig is spec's default configuration with what the caller gives
// (as convnets' -input, -classes, -width and -aux): input "CxHxW" (""
// for the default), classes and width (0 for the default) and aux. Every
// error is an InputError.
func ArchConfig(spec arch.Spec, input string, classes int, width float64, aux bool) (arch.Config, error) {
	c, err := archConfig(spec, input, classes, width, aux)
	if err != nil {
		return c, InputError{err}
	}
	return c, nil
}

func archConfig(spec arch.Spec, input string, classes int, width float64, aux bool) (arch.Config, error) {
	c := spec.Default
	var err error
	if input != "" {
		if c.Input, err = ParseShape(input); err != nil {
			return c, err
		}
	}
	if classes < 0 || classes > train.MaxClasses {
		return c, fmt.Errorf("-classes %d: must be between 1 and %d", classes, train.MaxClasses)
	} else if classes > 0 {
		c.Classes = classes
	}
	if !(width >= 0 && width <= train.MaxWidth) {
		return c, fmt.Errorf("-width %v: must be positive and at most %v", width, train.MaxWidth)
	} else if width > 0 {
		if scales, err := spec.ScalesWithWidth(); err != nil {
			return c, err
		} else if !scales {
			return c, fmt.Errorf("-width %v: %s has fixed widths (it ignores -width)", width, spec.Name)
		}
		c.Width = width
	}
	c.Aux = aux
	return c, nil
}

// ParseShape reads an input shape "CxHxW".
func ParseShape(s string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(s, "x")
	if len(parts) != 3 {
		return out, fmt.Errorf("input %q: want CxHxW, such as 1x28x28", s)
	}
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v <= 0 {
			return out, fmt.Errorf("input %q: want three positive integers CxHxW", s)
		}
		out[i] = v
	}
	if out[0] > train.MaxInputChannels || max(out[1], out[2]) > train.MaxInputSide {
		return out, fmt.Errorf("input %q: at most %d channels and %d pixels a side", s, train.MaxInputChannels, train.MaxInputSide)
	}
	return out, nil
}

// Config is the architecture configuration a job trains.
func Config(j train.Job) arch.Config {
	return arch.Config{Input: j.Input, Classes: j.Classes, Width: j.Width, Aux: j.Aux}
}

// Build looks the architecture name up and builds its graph (no weights)
// at the configuration that input, classes, width and aux give (see
// ArchConfig).
func Build(reg *arch.Registry, name, input string, classes int, width float64, aux bool) (arch.Spec, arch.Config, *graph.Net, error) {
	spec, err := reg.Lookup(name)
	if err != nil {
		return spec, arch.Config{}, nil, InputError{err}
	}
	c, err := ArchConfig(spec, input, classes, width, aux)
	if err != nil {
		return spec, c, nil, err
	}
	net, err := spec.New(c, graph.Config{})
	return spec, c, net, err
}
