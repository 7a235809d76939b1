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
	want := fmt.Sprintf("%d of %d Mongolian messages and %d of %d error texts unreviewed", len(c.Unreviewed()), len(c.Keys(locale.Hans)), len(c.UnreviewedErrors()), len(c.ErrorKeys()))
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	if len(lines)-1 != len(c.Unreviewed())+len(c.UnreviewedErrors()) {
		t.Errorf("%d lines for %d unreviewed messages and %d error texts", len(lines)-1, len(c.Unreviewed()), len(c.UnreviewedErrors()))
	}
	if n := len(c.UnreviewedErrors()); n > 0 {
		zh := c.UnreviewedErrors()[n-1]
		if got, want := lines[len(lines)-2], "error\t"+zh+"\t"+c.MongolianError(zh); got != want {
			t.Errorf("last error line %q, want %q", got, want)
		}
	}
	if len(lines) > 1 {
		k := c.Unreviewed()[0]
		if fields := strings.Split(lines[0], "\t"); len(fields) != 3 || fields[0] != k || fields[2] != c.T(locale.Mn, k) {
			t.Errorf("first line %q", lines[0])
		}
	}
}
