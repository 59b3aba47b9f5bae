package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeTables: the README's Fashion-MNIST tables are exactly what
// `convnets leaderboard -from docs/FILE.json -md` prints, so they are
// written by the tool from the runs, never typed.
func TestReadmeTables(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ marker, file string }{
		{"leaderboard", "fashion-leaderboard.json"},
		{"selection", "fashion-selection.json"},
	} {
		begin, end := "<!-- "+c.marker+":begin -->\n", "<!-- "+c.marker+":end -->"
		i, j := strings.Index(string(readme), begin), strings.Index(string(readme), end)
		if i < 0 || j < i {
			t.Fatalf("README.md has no %s markers", c.marker)
		}
		got := string(readme[i+len(begin) : j])
		want, errOut, code := convnets(t, "leaderboard", "-from", filepath.Join("..", "..", "docs", c.file), "-md")
		if code != 0 {
			t.Fatalf("leaderboard -from %s: exit %d %s", c.file, code, errOut)
		}
		if got != want {
			t.Fatalf("README.md's %s table differs from docs/%s; paste the output of\n"+
				"  go run ./cmd/convnets leaderboard -from docs/%s -md\nbetween its markers. Got\n%s\nwant\n%s", c.marker, c.file, c.file, got, want)
		}
	}
}
