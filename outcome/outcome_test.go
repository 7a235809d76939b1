package outcome

import (
	"errors"
	"slices"
	"testing"

	"minyi"
)

// The list's common rules are codelist's (its TestParse); these are the
// outcomes' own: the unit column, the separators a Chinese name cannot hold,
// the Label.
func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		codes []string
		field string // the field the refusal names; "" when accepted
	}{
		{"empty is the defaults", " \n", Codes(Defaults), ""},
		{"unit optional", "cattle|牛|Cattle\nwells|水井|Wells dug|口\n", []string{"cattle", "wells"}, ""},
		{"repeated code names its line", "cattle|牛|Cattle|头\nsheep|羊|Sheep|只\ncattle|黄牛|Cattle|头", nil, "matter_outcomes.3"},
		{"separator in Chinese name", "cattle|牛、羊|Cattle|头", nil, "matter_outcomes.1"},
		{"too many parts", "cattle|牛|Cattle|头|x", nil, "matter_outcomes.1"},
		{"long unit", "cattle|牛|Cattle|头头头头头", nil, "matter_outcomes.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := Parse(tt.text)
			if tt.field == "" {
				if err != nil || !slices.Equal(Codes(keys), tt.codes) {
					t.Fatalf("Parse = %v, %v; want %v", Codes(keys), err, tt.codes)
				}
				return
			}
			var e *minyi.Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Zh == "" || e.Fields[0].En == "" {
				t.Fatalf("Parse error = %#v; want one naming %s in zh and en", err, tt.field)
			}
		})
	}
}

func TestCheckRoundTrips(t *testing.T) {
	stored, err := Check(" wells | 水井 | Wells dug | 口 \ncattle|牛|Cattle|")
	if err != nil {
		t.Fatal(err)
	}
	if stored != "wells|水井|Wells dug|口\ncattle|牛|Cattle|\n" {
		t.Fatalf("stored %q", stored)
	}
	keys, err := Parse(stored)
	if err != nil || Format(keys) != stored {
		t.Fatalf("Parse(Check) = %v, %v", keys, err)
	}
	if k, ok := Find(keys, "水井"); !ok || k.Label() != "水井（口）" {
		t.Fatalf("Find by Chinese name = %v, %v", k, ok)
	}
	if k, ok := Find(keys, "cattle"); !ok || k.Label() != "牛" {
		t.Fatalf("Find by code = %v, %v", k, ok)
	}
	if _, ok := Find(keys, "Cattle"); ok {
		t.Fatal("found a key by its English name")
	}
}
