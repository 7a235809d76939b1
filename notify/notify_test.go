package notify_test

import (
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/notify"
)

// Which events alert whom: a hand-written table, not one derived from
// ForEvent's switch.
func TestForEvent(t *testing.T) {
	it := archive.Item{ID: 7, Number: "2026-000007", Title: "电话13812345678的老人走失", UnitCode: "a",
		Contact: archive.Contact{Phone: "13812345678"}}
	assigned := it
	assigned.Assignee = "li"
	tests := []struct {
		name      string
		it        archive.Item
		typ       archive.EventType
		actor     string
		ok        bool
		kind      notify.Kind
		user      string
		unitStaff bool
	}{
		{"a dispatch tells the unit", it, archive.EventDispatched, "leader", true, notify.KindDispatched, "", true},
		{"a transfer tells the new unit", it, archive.EventTransferred, "head-b", true, notify.KindDispatched, "", true},
		{"an assignment tells the officer", assigned, archive.EventAssigned, "head", true, notify.KindAssigned, "li", false},
		{"claiming tells nobody", assigned, archive.EventAssigned, "li", false, "", "", false},
		{"a redo tells the officer in charge", assigned, archive.EventReopened, "system", true, notify.KindRedo, "li", false},
		{"a redo without one tells the unit", it, archive.EventReopened, "leader", true, notify.KindRedo, "", true},
		{"supervision tells the unit", assigned, archive.EventSupervised, "leader", true, notify.KindSupervised, "", true},
		{"an answer tells nobody", it, archive.EventAnswered, "li", false, "", "", false},
		{"a receipt tells nobody", archive.Item{ID: 8, Number: "x"}, archive.EventReceived, "citizen", false, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := notify.ForEvent(tt.it, archive.Event{Seq: 99, Type: tt.typ, Actor: tt.actor})
			if ok != tt.ok {
				t.Fatalf("ok %v", ok)
			}
			if !ok {
				return
			}
			if a.Kind != tt.kind || a.User != tt.user || (a.User == "") != tt.unitStaff || a.Unit != "a" || a.Key != "event:99" ||
				a.Actor != tt.actor || strings.Contains(a.Title, "13812345678") {
				t.Errorf("%+v", a)
			}
		})
	}
}

// Due alerts are keyed by item, kind and due time; digests by unit and
// day, and none when there is nothing to tell.
func TestKeys(t *testing.T) {
	d := notify.DueItem{ID: 5, Unit: "a", DueAt: time.Unix(1000, 0)}
	if a, b := notify.ForDue(d, notify.KindDueSoon, time.Now()), notify.ForDue(d, notify.KindOverdue, time.Now()); a.Key == b.Key {
		t.Errorf("one key for due soon and overdue: %s", a.Key)
	}
	later := d
	later.DueAt = d.DueAt.Add(time.Hour)
	if notify.ForDue(d, notify.KindOverdue, time.Now()).Key == notify.ForDue(later, notify.KindOverdue, time.Now()).Key {
		t.Error("an extended due time keeps its key")
	}
	if _, ok := notify.ForDigest("a", "2026-03-02", map[notify.Kind]int{}, time.Now()); ok {
		t.Error("a digest of nothing")
	}
	if a, ok := notify.ForDigest("a", "2026-03-02", map[notify.Kind]int{notify.KindOverdue: 2}, time.Now()); !ok || a.Key != "digest:a:2026-03-02" || a.Data["overdue"] != "2" || a.Data["redo"] != "0" {
		t.Errorf("digest %+v", a)
	}
}

// The digest's window: from 08:00 of a working day, over the span since
// the previous working day's 08:00 (over a weekend: since Friday's).
func TestDigestWindow(t *testing.T) {
	cal := calendar.Default()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		now, day, from string
		ok             bool
	}{
		{"2021-03-01 07:59", "", "", false},                          // Monday, before the hour
		{"2021-03-01 09:00", "2021-03-01", "2021-02-26 08:00", true}, // Monday: since Friday
		{"2021-03-02 08:00", "2021-03-02", "2021-03-01 08:00", true},
		{"2021-03-06 09:00", "", "", false}, // Saturday
	}
	for _, tt := range tests {
		day, from, to, ok := notify.DigestWindow(cal, at(tt.now))
		if ok != tt.ok || day != tt.day || (ok && (!from.Equal(at(tt.from)) || !to.Equal(at(tt.day+" 08:00")))) {
			t.Errorf("%s: %s %s–%s %v", tt.now, day, from, to, ok)
		}
	}
}

// A due or overdue alert goes to chat groups as an event's does: its title
// names neither the citizen nor their door.
func TestForDueMasksTheCitizen(t *testing.T) {
	d := notify.DueItem{ID: 9, Number: "2026-000009", Title: "巴特尔反映胜利路18号门口路灯坏了", Unit: "a",
		DueAt:   time.Date(2026, 12, 7, 18, 0, 0, 0, calendar.Zone),
		Contact: archive.Contact{Name: "巴特尔"}, Location: archive.Location{Address: "胜利路18号"}}
	for _, kind := range []notify.Kind{notify.KindDueSoon, notify.KindOverdue} {
		a := notify.ForDue(d, kind, d.DueAt)
		if strings.Contains(a.Title, "巴特尔") || strings.Contains(a.Title, "胜利路18号") || !strings.Contains(a.Title, "路灯坏了") {
			t.Errorf("%s: title %q", kind, a.Title)
		}
	}
}
