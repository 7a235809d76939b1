package volunteer

import (
	"context"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/reporting"
)

// memStore holds one activity and knows the users in users.
type memStore struct {
	a     Activity
	users map[string]bool
}

func (m *memStore) CreateActivity(_ context.Context, a *Activity) error {
	a.ID, a.Version = 1, 1
	m.a = *a
	return nil
}

func (m *memStore) CreateActivities(ctx context.Context, as []*Activity, _ []eventlog.Event) error {
	for _, a := range as {
		if err := m.CreateActivity(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) UpdateActivity(_ context.Context, a *Activity, version int, _ []eventlog.Event) error {
	if version != m.a.Version {
		return minyi.Errorf(minyi.EConflict, "stale")
	}
	a.Version = version + 1
	m.a = *a
	return nil
}

func (m *memStore) Activity(context.Context, int64) (Activity, error)                { return m.a, nil }
func (m *memStore) Activities(context.Context, Filter) (Page, error)                 { return Page{}, nil }
func (m *memStore) EachActivity(context.Context, Filter, func(Activity) error) error { return nil }
func (m *memStore) ActivityFigures(context.Context, reporting.Filter) (reporting.Figures, error) {
	return nil, nil
}
func (m *memStore) ActivityFiguresByBranch(context.Context, reporting.Filter) (map[string]reporting.Figures, error) {
	return nil, nil
}
func (m *memStore) Unit(context.Context, string) (org.Unit, error) { return org.Unit{}, nil }
func (m *memStore) Branches(context.Context) ([]org.Branch, error) {
	return []org.Branch{{Code: "pa", UnitCode: "a"}}, nil
}
func (m *memStore) CampaignExists(_ context.Context, id int64) (bool, error) { return id == 7, nil }
func (m *memStore) RecordPhoto(context.Context, string, int64, int64) (archive.Photo, error) {
	return archive.Photo{}, minyi.Errorf(minyi.ENotFound, "no photos here")
}
func (m *memStore) UserByName(_ context.Context, name string) (org.User, error) {
	if !m.users[name] {
		return org.User{}, minyi.Errorf(minyi.ENotFound, "no such user")
	}
	if name == "partner" {
		return org.User{Name: name, Role: org.RolePartner}, nil
	}
	return org.User{Name: name, Role: org.RoleOfficer}, nil
}

// TestUpdateChecksWhatItAdds: a participant who has since gone does not
// block an edit of the title; a new unknown one is refused.
func TestUpdateChecksWhatItAdds(t *testing.T) {
	ctx := context.Background()
	st := &memStore{users: map[string]bool{"li": true, "wang": true}}
	svc := &Service{Store: st, Now: func() time.Time { return now }}
	officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
	a, err := svc.Create(ctx, officer, Activity{Date: "2021-11-01", Title: "巡逻", Unit: "a", Branch: "pa", Participants: []string{"li", "wang"}})
	if err != nil {
		t.Fatal(err)
	}
	delete(st.users, "wang")
	title := "夜间巡逻"
	if a, err = svc.Update(ctx, officer, a.ID, a.Version, Patch{Title: &title}); err != nil || a.Title != title {
		t.Fatalf("edit of the title: %+v %v", a, err)
	}
	// A partner's account reads; it does no ledger work.
	st.users["partner"] = true
	withPartner := []string{"li", "partner"}
	_, err = svc.Update(ctx, officer, a.ID, a.Version, Patch{Participants: &withPartner})
	if got := testkit.Fields(err); len(got) != 1 || got[0] != "participants" {
		t.Errorf("adding a partner as participant: %v", err)
	}
	people := []string{"li", "wang", "zhao"}
	_, err = svc.Update(ctx, officer, a.ID, a.Version, Patch{Participants: &people})
	if got := testkit.Fields(err); len(got) != 1 || got[0] != "participants" {
		t.Errorf("adding an unknown participant: %v", err)
	}
	if _, err := svc.Update(ctx, officer, a.ID, 0, Patch{Title: &title}); minyi.ErrorCode(err) != minyi.EInvalid {
		t.Errorf("without a version: %v", err)
	}
	partner := org.User{Name: "p", Role: org.RolePartner, UnitCode: "a"}
	if _, err := svc.Update(ctx, partner, a.ID, a.Version, Patch{Title: &title}); minyi.ErrorCode(err) != minyi.EForbidden {
		t.Errorf("partner edits: %v", err)
	}
}
