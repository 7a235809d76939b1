package kind

import (
	"errors"
	"slices"
	"testing"

	"minyi"
)

// The list's rules are codelist's (its TestParse); these are the kinds'
// own: the defaults, the field errors name, finding a default by its name.
func TestParse(t *testing.T) {
	if kinds, err := Parse(" \n"); err != nil || !slices.Equal(Codes(kinds), Codes(Defaults)) {
		t.Fatalf("Parse(blank) = %v, %v; want the defaults", kinds, err)
	}
	_, err := Parse("a|甲|a\na|乙|b")
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "dispute_kinds.2" {
		t.Fatalf("Parse(repeated code) = %v; want dispute_kinds.2", err)
	}
	if s, err := Check(" a | 甲 | a "); err != nil || s != "a|甲|a\n" {
		t.Errorf("Check = %q, %v", s, err)
	}
	if k, ok := Find(Defaults, "土地草场"); !ok || k.Code != "land" {
		t.Errorf("Find by name: %v %v", k, ok)
	}
	if _, ok := Find(Defaults, "land and grassland"); ok {
		t.Error("found a kind by its English name")
	}
}
