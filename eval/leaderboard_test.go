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
