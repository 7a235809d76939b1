package volunteer

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/internal/testkit"
)

var now = time.Date(2021, 11, 2, 23, 30, 0, 0, calendar.Zone)

func TestValidate(t *testing.T) {
	ok := Activity{Date: "2021-11-02", Title: " 秋收 ", Unit: "a", Volunteers: 3, Hours: 2.5, Served: 10}
	tests := []struct {
		name   string
		change func(*Activity)
		want   string // the fields named, comma-separated
	}{
		{"valid", func(*Activity) {}, ""},
		{"no date", func(a *Activity) { a.Date = "" }, "date"},
		{"bad date", func(a *Activity) { a.Date = "2021/11/02" }, "date"},
		{"tomorrow in China", func(a *Activity) { a.Date = "2021-11-03" }, "date"},
		{"too early", func(a *Activity) { a.Date = "1999-12-31" }, "date"},
		{"no title", func(a *Activity) { a.Title = " " }, "title"},
		{"long title", func(a *Activity) { a.Title = strings.Repeat("字", MaxTitleRunes+1) }, "title"},
		{"no unit", func(a *Activity) { a.Unit = "" }, "unit"},
		{"negative counts", func(a *Activity) { a.Volunteers, a.Served, a.Hours = -1, -1, -0.5 }, "hours,served,volunteers"},
		{"too many hours", func(a *Activity) { a.Hours = MaxHours + 1 }, "hours"},
		{"NaN hours", func(a *Activity) { a.Hours = math.NaN() }, "hours"},
		{"control characters", func(a *Activity) { a.Place = "村\x00委会" }, "place"},
		{"too many participants", func(a *Activity) {
			for i := 0; i <= MaxParticipants; i++ {
				a.Participants = append(a.Participants, "u"+itoa(i))
			}
		}, "participants"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.change(&a)
			_, err := a.Validate(now)
			if got := strings.Join(testkit.Fields(err), ","); got != tt.want {
				t.Errorf("fields %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
	a := ok
	a.Hours, a.Participants = 1.234, []string{" li ", "li", "", "wang"}
	got, err := a.Validate(now)
	if err != nil || got.Hours != 1.23 || got.Title != "秋收" || strings.Join(got.Participants, ",") != "li,wang" {
		t.Errorf("cleaned %+v %v", got, err)
	}
}

func TestChanged(t *testing.T) {
	before := Activity{ID: 7, Date: "2021-11-01", Title: "巡逻", Unit: "a", Hours: 2, Description: "夜间"}
	if _, ok := before.Changed(before, "li"); ok {
		t.Error("no change is an event")
	}
	after := before
	after.Hours, after.Description = 2.5, "夜间巡逻"
	e, ok := after.Changed(before, "li")
	if !ok || e.Type != EventChanged || e.Register != Register || e.RecordID != 7 || e.Actor != "li" ||
		e.Data["hours"] != "2.5" || e.Data["description"] != "changed" || e.Body != "夜间巡逻" || len(e.Data) != 2 {
		t.Errorf("event %+v", e)
	}
	r := before.Recorded()
	if r.Type != EventRecorded || r.Data["title"] != "巡逻" || r.Body != "夜间" {
		t.Errorf("recorded %+v", r)
	}
}

func TestPatch(t *testing.T) {
	a := Activity{Title: "x", Participants: []string{"a"}, Served: 3}
	title, people := "y", []string{"b"}
	got := Patch{Title: &title, Participants: &people}.Apply(a)
	if got.Title != "y" || got.Participants[0] != "b" || got.Served != 3 || a.Participants[0] != "a" {
		t.Errorf("patched %+v from %+v", got, a)
	}
	people[0] = "c"
	if got.Participants[0] != "b" {
		t.Error("the patch's list is shared")
	}
}

// TestMessagesNameTheField: each problem names its field in both languages.
func TestMessagesNameTheField(t *testing.T) {
	_, err := Activity{Date: "2021-11-02", Unit: "a", Place: "村\x00"}.Validate(now)
	var e *minyi.Error
	if !errors.As(err, &e) {
		t.Fatalf("no problems: %v", err)
	}
	want := map[string][2]string{"title": {"活动名称不能为空", "title is required"}, "place": {"地点含有不允许的控制字符", "place must not contain control characters"}}
	for _, f := range e.Fields {
		if w, ok := want[f.Field]; ok && (f.Zh != w[0] || f.En != w[1]) {
			t.Errorf("%s: %q / %q, want %q / %q", f.Field, f.Zh, f.En, w[0], w[1])
		}
	}
	if len(e.Fields) != 2 {
		t.Errorf("fields %+v", e.Fields)
	}
}
