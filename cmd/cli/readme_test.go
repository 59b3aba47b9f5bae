package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeTables: the leaderboards of docs/fashion-mnist.md (the final
// one and the selection runs) and docs/results-mnist.md are exactly what
// `convnets leaderboard -from docs/FILE.json -md` prints, so they are
// written by the tool from the runs, never typed.
func TestReadmeTables(t *testing.T) {
	for _, c := range []struct{ doc, marker, file string }{
		{filepath.Join("docs", "fashion-mnist.md"), "leaderboard", "fashion-leaderboard.json"},
		{filepath.Join("docs", "fashion-mnist.md"), "selection", "fashion-selection.json"},
		{filepath.Join("docs", "results-mnist.md"), "mnist-leaderboard", "mnist-leaderboard.json"},
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

// TestReadmeArchitectures: the architecture table of docs/architectures.md
// is what `convnets list -md` prints.
func TestReadmeArchitectures(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "docs", "architectures.md"))
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- architectures:begin -->\n", "<!-- architectures:end -->"
	i, j := strings.Index(string(text), begin), strings.Index(string(text), end)
	if i < 0 || j < i {
		t.Fatal("docs/architectures.md has no architectures markers")
	}
	want, errOut, code := convnets(t, "list", "-md")
	if code != 0 {
		t.Fatalf("list -md: exit %d %s", code, errOut)
	}
	if got := string(text[i+len(begin) : j]); got != want {
		t.Fatalf("docs/architectures.md's architecture table differs from go run ./cmd/convnets list -md; paste its output between the markers.\nGot\n%s\nwant\n%s", got, want)
	}
}

// updateReadme rewrites the README's study blocks from docs/studies.
var updateReadme = flag.Bool("update", false, "rewrite README.md's study blocks from docs/studies/*/report.md")

// TestReadmeStudies: for every study report in docs/studies/NAME/, the
// README shows its table and verdicts between study-NAME markers exactly as
// the tool wrote them in report.md (-update rewrites the blocks).
func TestReadmeStudies(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(text)
	reports, err := filepath.Glob(filepath.Join("..", "..", "docs", "studies", "*", "report.md"))
	if err != nil || len(reports) == 0 {
		t.Fatalf("no study reports under docs/studies (%v)", err)
	}
	for _, file := range reports {
		name := filepath.Base(filepath.Dir(file))
		report, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want, ok := studyResults(string(report))
		if !ok {
			t.Fatalf("%s has no table followed by a plot", file)
		}
		begin, end := "<!-- study-"+name+":begin -->\n", "<!-- study-"+name+":end -->"
		i, j := strings.Index(readme, begin), strings.Index(readme, end)
		if i < 0 || j < i {
			t.Fatalf("README.md does not show docs/studies/%s (no study-%s markers)", name, name)
		}
		got := readme[i+len(begin) : j]
		switch {
		case got == want:
		case *updateReadme:
			readme = readme[:i+len(begin)] + want + readme[j:]
		default:
			t.Fatalf("README.md's study-%s block differs from docs/studies/%s/report.md (its table and verdicts; go test ./cmd/cli -run TestReadmeStudies -update rewrites it).\nGot\n%s\nwant\n%s",
				name, name, got, want)
		}
	}
	if *updateReadme && readme != string(text) {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// studyResults is a study report's table and verdicts: from the table's
// header up to the first plot or the first section after the verdicts,
// without the report's headings.
func studyResults(report string) (string, bool) {
	lines := strings.Split(report, "\n")
	first, last := -1, -1
	for k, l := range lines {
		if first < 0 && strings.HasPrefix(l, "| network") {
			first = k
		}
		section := strings.HasPrefix(l, "## ") && l != "## Verdicts"
		if first >= 0 && (strings.HasPrefix(l, "![") || section) {
			last = k
			break
		}
	}
	if first < 0 || last < 0 {
		return "", false
	}
	var kept []string
	for _, l := range lines[first:last] {
		blank := strings.TrimSpace(l) == ""
		switch {
		case strings.HasPrefix(l, "#"): // the report's headings stay in the report
		case blank && len(kept) > 0 && kept[len(kept)-1] == "":
		default:
			if blank {
				l = ""
			}
			kept = append(kept, l)
		}
	}
	return strings.TrimSpace(strings.Join(kept, "\n")) + "\n", true
}
