package jobs

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/convnets/convnets/arch"
	"github.com/convnets/convnets/eval"
	"github.com/convnets/convnets/graph"
)

// WriteList prints the registered architectures, a line each (or a JSON
// object each): name, input, classes, width and description.
func WriteList(w io.Writer, reg *arch.Registry, asJSON bool) error {
	enc := json.NewEncoder(w)
	width := nameWidth(reg)
	for _, name := range reg.Names() {
		s, _ := reg.Lookup(name)
		if asJSON {
			if err := enc.Encode(struct {
				Name        string  `json:"name"`
				Input       [3]int  `json:"input"`
				Classes     int     `json:"classes"`
				Width       float64 `json:"width,omitempty"`
				Description string  `json:"description"`
			}{name, s.Default.Input, s.Default.Classes, s.Default.Width, s.Description}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(w, "%-*s  %-10s %4d classes  %s\n", width, name, graph.ShapeString(s.Default.Input[:]), s.Default.Classes, s.Description)
	}
	return nil
}

// WriteListMarkdown prints the registered architectures as a Markdown
// table: name, description, input, and the totals of the ledger at the
// default configuration (trainable and non-trainable parameters, MACs).
func WriteListMarkdown(w io.Writer, reg *arch.Registry) error {
	fmt.Fprintln(w, "| name | definition | input | params | non-trainable | MACs |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|")
	for _, name := range reg.Names() {
		s, _ := reg.Lookup(name)
		net, err := s.New(s.Default, graph.Config{})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		t := graph.Sum(net.Ledger())
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s |\n", name, s.Description, graph.ShapeString(s.Default.Input[:]),
			eval.Group(t.Params), eval.Group(t.NonTrainable), eval.Group(t.MACs))
	}
	return nil
}

// WriteRecipes prints every preset's recipes, a line each (or a JSON
// object each), with how each was chosen.
func WriteRecipes(w io.Writer, reg *arch.Registry, asJSON bool) error {
	enc := json.NewEncoder(w)
	width := nameWidth(reg)
	for _, name := range reg.Names() {
		s, _ := reg.Lookup(name)
		for _, r := range s.Recipes {
			if asJSON {
				if err := enc.Encode(struct {
					Arch string `json:"arch"`
					arch.Recipe
					Summary string `json:"summary"`
				}{name, r, r.String()}); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(w, "%-*s  %-13s  %s\n  %*s  %-13s  chosen: %s\n", width, name, r.Dataset, r, width, "", "", r.Why)
		}
	}
	return nil
}

// nameWidth is the length of the longest registered name.
func nameWidth(reg *arch.Registry) int {
	w := 0
	for _, name := range reg.Names() {
		w = max(w, len(name))
	}
	return w
}
