package register

import (
	"context"
	"errors"
	"testing"

	"minyi"
)

func TestCheckCampaign(t *testing.T) {
	exists := func(_ context.Context, id int64) (bool, error) {
		if id == 13 {
			return false, errors.New("database down")
		}
		return id == 7, nil
	}
	for _, tc := range []struct {
		name    string
		id      int64
		problem bool
		err     bool
	}{
		{"none", 0, false, false},
		{"existing", 7, false, false},
		{"unknown", 8, true, false},
		{"negative", -1, true, false},
		{"the lookup fails", 13, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p minyi.Problems
			err := CheckCampaign(context.Background(), &p, exists, tc.id)
			if (err != nil) != tc.err {
				t.Fatalf("err %v, want one: %v", err, tc.err)
			}
			if got := len(p) == 1 && p[0].Field == "campaign"; got != tc.problem || (!tc.problem && len(p) > 0) {
				t.Errorf("problems %+v, want one naming campaign: %v", p, tc.problem)
			}
		})
	}
}
