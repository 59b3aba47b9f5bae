package eval

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pkg/errors"
)

// table lays out a header and rows: as aligned text (the first left columns
// left-aligned, the others right-aligned, two spaces apart), as a Markdown
// table, or as CSV.
type table struct {
	left int
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write renders the table in format "text", "md" or "csv".
func (t *table) write(w io.Writer, format string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.WriteAll(t.rows)
		return cw.Error()
	case "md":
		var b strings.Builder
		for i, r := range t.rows {
			fmt.Fprintf(&b, "| %s |\n", strings.Join(r, " | "))
			if i == 0 {
				b.WriteString("|")
				for c := range r {
					if c < t.left {
						b.WriteString("---|")
					} else {
						b.WriteString("---:|")
					}
				}
				b.WriteString("\n")
			}
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "text", "":
		return t.text(w)
	}
	return errors.Errorf("format %q: want one of %v", format, Formats)
}

func (t *table) text(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		var line strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				line.WriteString("  ")
			}
			if i < t.left {
				line.WriteString(c + pad)
			} else {
				line.WriteString(pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// numberFormat returns how a format writes counts: grouped for people,
// plain for CSV.
func numberFormat(format string) func(int64) string {
	if format == "csv" {
		return func(v int64) string { return strconv.FormatInt(v, 10) }
	}
	return Group
}
