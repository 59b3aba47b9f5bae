package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeTables: the Fashion-MNIST tables of the README and of
// docs/fashion-mnist.md are exactly what `convnets leaderboard -from
// docs/FILE.json -md` prints, so they are written by the tool from the runs,
// never typed.
func TestReadmeTables(t *testing.T) {
	for _, c := range []struct{ doc, marker, file string }{
		{"README.md", "leaderboard", "fashion-leaderboard.json"},
		{filepath.Join("docs", "fashion-mnist.md"), "selection", "fashion-selection.json"},
	} {
		text, err := os.ReadFile(filepath.Join("..", "..", c.doc))
		if err != nil {
			t.Fatal(err)
		}
		begin, end := "<!-- "+c.marker+":begin -->\n", "<!-- "+c.marker+":end -->"
		i, j := strings.Index(string(text), begin), strings.Index(string(text), end)
		if i < 0 || j < i {
			t.Fatalf("%s has no %s markers", c.doc, c.marker)
		}
		got := string(text[i+len(begin) : j])
		want, errOut, code := convnets(t, "leaderboard", "-from", filepath.Join("..", "..", "docs", c.file), "-md")
		if code != 0 {
			t.Fatalf("leaderboard -from %s: exit %d %s", c.file, code, errOut)
		}
		if got != want {
			t.Fatalf("%s's %s table differs from docs/%s; paste the output of\n"+
				"  go run ./cmd/convnets leaderboard -from docs/%s -md\nbetween its markers. Got\n%s\nwant\n%s", c.doc, c.marker, c.file, c.file, got, want)
		}
	}
}

// TestReadmeArchitectures: the README's architecture table is what
// `convnets list -md` prints.
func TestReadmeArchitectures(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- architectures:begin -->\n", "<!-- architectures:end -->"
	i, j := strings.Index(string(text), begin), strings.Index(string(text), end)
	if i < 0 || j < i {
		t.Fatal("README.md has no architectures markers")
	}
	want, errOut, code := convnets(t, "list", "-md")
	if code != 0 {
		t.Fatalf("list -md: exit %d %s", code, errOut)
	}
	if got := string(text[i+len(begin) : j]); got != want {
		t.Fatalf("README.md's architecture table differs from go run ./cmd/convnets list -md; paste its output between the markers.\nGot\n%s\nwant\n%s", got, want)
	}
}
