package register

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"minyi"
)

type rec struct {
	Unit    string
	Version int
	Title   string
}

func TestChangeRefusesInItsOrder(t *testing.T) {
	stored := rec{Unit: "u1", Version: 3, Title: "old"}
	notMine := minyi.Errorf(minyi.EForbidden, "not yours")
	bad := minyi.Invalid("title", "标题不能为空", "title is required")
	change := func(version int, title, unit string) Change[rec] {
		return Change[rec]{Record: Noun{"记录", "record"}, Version: version,
			Read: func() (rec, error) { return stored, nil },
			Held: func(r rec) (string, int) { return r.Unit, r.Version },
			MayFile: func(u string) error {
				if u != "u1" {
					return notMine
				}
				return nil
			},
			Apply: func(r rec) rec { r.Title, r.Unit = title, unit; return r },
			Check: func(after, before rec) (rec, error) {
				if after.Title == "" {
					return rec{}, bad
				}
				return after, nil
			},
		}
	}
	for _, tc := range []struct {
		name string
		c    Change[rec]
		code string
	}{
		{"no version", change(0, "new", "u1"), minyi.EInvalid},
		{"stale, even when invalid", change(2, "", "u1"), minyi.EConflict},
		{"moved to another unit", change(3, "new", "u2"), minyi.EForbidden},
		{"invalid", change(3, "", "u1"), minyi.EInvalid},
		{"ok", change(3, "new", "u1"), ""},
	} {
		before, after, err := tc.c.Run()
		if got := minyi.ErrorCode(err); got != tc.code {
			t.Errorf("%s: code %q (%v), want %q", tc.name, got, err, tc.code)
		}
		if tc.code == "" && (before != stored || after.Title != "new") {
			t.Errorf("%s: before %+v after %+v", tc.name, before, after)
		}
	}
	c := change(3, "new", "u1")
	gone := errors.New("gone")
	c.Read = func() (rec, error) { return rec{}, gone }
	if _, _, err := c.Run(); err != gone {
		t.Errorf("read error: %v", err)
	}
	stored.Unit = "u9"
	if _, _, err := change(3, "new", "u1").Run(); err != notMine {
		t.Errorf("another unit's record: %v, want %v", err, notMine)
	}
}

// TestChangedFields: only the keys asked, in their order, with the new
// values; a field emptied is a change, one not asked is not.
func TestChangedFields(t *testing.T) {
	was := map[string]string{"name": "a", "from": "2021-01-01", "plan": "p", "to": "x"}
	for _, tt := range []struct {
		name        string
		now         map[string]string
		keys        []string
		wantData    map[string]string
		wantChanged []string
	}{
		{"nothing", map[string]string{"name": "a", "from": "2021-01-01", "plan": "q", "to": "x"}, []string{"name", "from"}, map[string]string{}, nil},
		{"in the keys' order", map[string]string{"name": "b", "from": "2021-02-01", "to": "x"}, []string{"from", "name", "to"},
			map[string]string{"name": "b", "from": "2021-02-01"}, []string{"from", "name"}},
		{"emptied", map[string]string{"name": "a", "from": "2021-01-01"}, []string{"to"}, map[string]string{"to": ""}, []string{"to"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, changed := ChangedFields(tt.now, was, tt.keys...)
			if !maps.Equal(data, tt.wantData) || !slices.Equal(changed, tt.wantChanged) {
				t.Errorf("ChangedFields = %v %v, want %v %v", data, changed, tt.wantData, tt.wantChanged)
			}
		})
	}
}
