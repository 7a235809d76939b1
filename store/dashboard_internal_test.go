package store

import (
	"reflect"
	"testing"
)

func TestSplitByMonth(t *testing.T) {
	tests := []struct {
		from, to string
		want     []period
	}{
		{"2024-01-01", "2024-12-31", []period{{"2024-01-01", "2024-12-31", true}}},
		{"2024-01-15", "2024-03-10", []period{{"2024-01-15", "2024-01-31", false}, {"2024-02-01", "2024-02-29", true}, {"2024-03-01", "2024-03-10", false}}},
		{"2024-03-05", "2024-03-20", []period{{"2024-03-05", "2024-03-20", false}}},
		{"2024-02-10", "2024-03-09", []period{{"2024-02-10", "2024-03-09", false}}},
		{"2024-02-01", "2024-03-09", []period{{"2024-02-01", "2024-02-29", true}, {"2024-03-01", "2024-03-09", false}}},
		{"2023-12-20", "2024-01-31", []period{{"2023-12-20", "2023-12-31", false}, {"2024-01-01", "2024-01-31", true}}},
		{"", "2024-01-31", []period{{"", "2024-01-31", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.from+"…"+tt.to, func(t *testing.T) {
			if got := splitByMonth(tt.from, tt.to); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
