package main

import (
	"fmt"
	"strings"
	"testing"

	"minyi/locale"
)

func TestTranslationsCommand(t *testing.T) {
	out, err := cli(t, "translations")
	if err != nil {
		t.Fatal(err)
	}
	c := locale.Default()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := fmt.Sprintf("%d of %d Mongolian messages unreviewed", len(c.Unreviewed()), len(c.Keys(locale.Hans)))
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	if len(lines)-1 != len(c.Unreviewed()) {
		t.Errorf("%d lines for %d unreviewed messages", len(lines)-1, len(c.Unreviewed()))
	}
	if len(lines) > 1 {
		k := c.Unreviewed()[0]
		if fields := strings.Split(lines[0], "\t"); len(fields) != 3 || fields[0] != k || fields[2] != c.T(locale.Mn, k) {
			t.Errorf("first line %q", lines[0])
		}
	}
}
