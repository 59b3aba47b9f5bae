package eval

import (
	"bytes"
	"strings"
	"testing"
)

// TestLeaderboardD2LColumns: the d2l columns and their footnote appear
// only when a row has a d2l figure (Fashion-MNIST), not on an MNIST board.
func TestLeaderboardD2LColumns(t *testing.T) {
	row := LeaderRow{Arch: "lenet5-relu", Dataset: "mnist", Input: [3]int{1, 28, 28}, Params: 61706, MACs: 416520,
		Recipe: "adam 0.001", Command: "convnets train", Epochs: 8, Seconds: 67, EpochSecondsMin: 8, EpochSecondsMax: 9, TestAccuracy: 0.9922}
	render := func(rows ...LeaderRow) string {
		var b bytes.Buffer
		lb := &Leaderboard{D2L: D2LSource, Rows: rows}
		if err := lb.Write(&b, "md"); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	md := render(row)
	if strings.Contains(md, "d2l") || strings.Contains(md, "margin") || !strings.Contains(md, "| **99.22%** |\n") {
		t.Fatalf("MNIST board:\n%s", md)
	}
	fashion := row
	fashion.Dataset = "fashion-mnist"
	fashion.SetD2L()
	md = render(row, fashion)
	if !strings.Contains(md, "| d2l (printed) | margin |") || !strings.Contains(md, "| **99.22%** | – | – |") ||
		!strings.Contains(md, "LeNet 6.6: 77.6% / 80.9% | +18.32 |") || !strings.Contains(md, "\nd2l: ") {
		t.Fatalf("mixed board:\n%s", md)
	}
}

// TestSharedCommand: rows whose commands differ only in the preset print
// one command; otherwise (another flag differs, or one row) each row's.
func TestSharedCommand(t *testing.T) {
	rows := []LeaderRow{
		{Arch: "lenet5", Command: "go run ./cmd/convnets train -arch lenet5 -dataset fashion-mnist"},
		{Arch: "vgg11-mnist", Command: "go run ./cmd/convnets train -arch vgg11-mnist -dataset fashion-mnist"},
	}
	got, ok := sharedCommand(rows)
	if want := "go run ./cmd/convnets train -arch PRESET -dataset fashion-mnist"; !ok || got != want {
		t.Fatalf("shared command %q %v, want %q", got, ok, want)
	}
	var b strings.Builder
	if err := (&Leaderboard{Rows: rows}).Write(&b, "md"); err != nil || !strings.Contains(b.String(), "Every row's command: `"+got+"`") {
		t.Fatalf("markdown %q %v", b.String(), err)
	}
	rows[1].Command += " -epochs 3"
	if _, ok := sharedCommand(rows); ok {
		t.Fatal("a command with another flag is shared")
	}
	if _, ok := sharedCommand(rows[:1]); ok {
		t.Fatal("one row's command is shared")
	}
	rows[1].Command = "go run ./cmd/convnets train -arch vgg11-mnist-x -dataset fashion-mnist" // a longer name is not the preset's
	if _, ok := sharedCommand(rows); ok {
		t.Fatal("another preset's name taken for the row's")
	}
}
