package kind

import (
	"errors"
	"slices"
	"testing"

	"minyi"
)

// fields are the fields err names, in order (testkit.Fields, which this
// package cannot import: archive, below testkit, imports it).
func fields(err error) []string {
	var e *minyi.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name   string
		text   string
		codes  []string
		fields []string
	}{
		{"empty is the defaults", " \n", Codes(Defaults), nil},
		{"own list", "grass|草场纠纷|grassland\n\nother|其他|other\n", []string{"grass", "other"}, nil},
		{"bad code", "Grass|草场|grassland", nil, []string{"dispute_kinds.1"}},
		{"repeated code", "a|甲|a\na|乙|b", nil, []string{"dispute_kinds.2"}},
		{"repeated name", "a|甲|a\nb|甲|b", nil, []string{"dispute_kinds.2"}},
		{"no English", "a|甲|", nil, []string{"dispute_kinds.1"}},
		{"too many parts", "a|甲|a|x", nil, []string{"dispute_kinds.1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			kinds, err := Parse(tt.text)
			if got := fields(err); !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tt.fields, err)
			}
			if tt.fields == nil && !slices.Equal(Codes(kinds), tt.codes) {
				t.Errorf("codes %v, want %v", Codes(kinds), tt.codes)
			}
		})
	}
	if s, err := Check(" a | 甲 | a "); err != nil || s != "a|甲|a\n" {
		t.Errorf("Check = %q, %v", s, err)
	}
	if k, ok := Find(Defaults, "土地草场"); !ok || k.Code != "land" {
		t.Errorf("Find by name: %v %v", k, ok)
	}
}
