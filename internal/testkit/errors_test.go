package testkit

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"minyi"
)

func TestFields(t *testing.T) {
	var p minyi.Problems
	p.Add("title", "标题", "title")
	p.Add("unit", "单位", "unit")
	for _, tt := range []struct {
		name string
		err  error
		want []string
	}{
		{"none", nil, nil},
		{"not a refusal", errors.New("database unreachable"), nil},
		{"in order", p.Err(), []string{"title", "unit"}},
		{"wrapped", fmt.Errorf("row 3: %w", minyi.Invalid("date", "日期", "date")), []string{"date"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fields(tt.err); !slices.Equal(got, tt.want) {
				t.Errorf("Fields = %v, want %v", got, tt.want)
			}
		})
	}
}
