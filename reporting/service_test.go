package reporting

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/org"
)

// fakeStore counts the stats calls and remembers the filter they got.
type fakeStore struct {
	Store // the dashboard's reads are not used here
	got   []Filter
}

func (s *fakeStore) Stats(_ context.Context, f Filter) (Stats, error) {
	s.got = append(s.got, f)
	return Stats{From: f.From, To: f.To, Unit: f.Unit}, nil
}

// fakeSource answers fixed figures and remembers the filter it got.
type fakeSource struct {
	name string
	figs Figures
	err  error
	got  Filter
}

func (s *fakeSource) Register() string { return s.name }

func (s *fakeSource) Figures(_ context.Context, f Filter) (Figures, error) {
	s.got = f
	return s.figs, s.err
}

var (
	clock  = time.Date(2021, 5, 1, 9, 0, 0, 0, time.UTC)
	leader = org.User{Name: "l", Role: org.RoleLeader}
	headA  = org.User{Name: "h", Role: org.RoleUnitHead, UnitCode: "a"}
)

func TestReportAsksEverySource(t *testing.T) {
	items := &fakeSource{name: "items", figs: Figures{"received": 5, "closed": 2}}
	meetings := &fakeSource{name: "meetings", figs: Figures{"held": 3}}
	disputes := &fakeSource{name: "disputes", figs: Figures{"mediated": 7}}
	svc := &Service{Sources: []Source{items, meetings, disputes}, Now: func() time.Time { return clock }}
	f := Filter{From: "2021-01-01", To: "2021-04-30"}

	r, err := svc.Report(context.Background(), leader, f)
	if err != nil {
		t.Fatal(err)
	}
	if r.Figure("items", "received") != 5 || r.Figure("items", "closed") != 2 || r.Figure("meetings", "held") != 3 ||
		r.Figure("disputes", "mediated") != 7 || len(r.Registers) != 3 {
		t.Errorf("report %+v", r)
	}
	if r.Figure("meetings", "received") != 0 || r.Figure("surveys", "held") != 0 {
		t.Errorf("a figure nobody answered is not 0: %+v", r)
	}
	if items.got.Units != nil || !items.got.Now.Equal(clock) || items.got.From != f.From || items.got.To != f.To {
		t.Errorf("the leader's sources got %+v", items.got)
	}

	// A unit head's sources only ever count their unit.
	if _, err := svc.Report(context.Background(), headA, f); err != nil {
		t.Fatal(err)
	}
	for _, src := range []*fakeSource{items, meetings, disputes} {
		if !slices.Equal(src.got.Units, []string{"a"}) {
			t.Errorf("%s got units %v, want [a]", src.name, src.got.Units)
		}
	}
}

func TestReportRefusals(t *testing.T) {
	broken := errors.New("disk on fire")
	tests := []struct {
		name    string
		u       org.User
		f       Filter
		sources []Source
		code    string
	}{
		{"bad period", leader, Filter{From: "2021-01-01", To: "soon"}, nil, minyi.EInvalid},
		{"too long", leader, Filter{From: "2001-01-01", To: "2021-01-01"}, nil, minyi.EInvalid},
		{"another unit", headA, Filter{From: "2021-01-01", To: "2021-01-31", Unit: "b"}, nil, minyi.EForbidden},
		{"a source fails", leader, Filter{From: "2021-01-01", To: "2021-01-31"},
			[]Source{&fakeSource{name: "items"}, &fakeSource{name: "meetings", err: minyi.Internal(broken)}}, minyi.EInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &Service{Sources: tt.sources}
			if _, err := svc.Report(context.Background(), tt.u, tt.f); minyi.ErrorCode(err) != tt.code {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func TestStats(t *testing.T) {
	tests := []struct {
		name     string
		u        org.User
		f        Filter
		fields   []string
		wantUnit []string
	}{
		{"leader, a year", leader, Filter{From: "2021-01-01", To: "2021-12-31"}, nil, nil},
		{"unit head narrowed", headA, Filter{From: "2021-01-01", To: "2021-12-31"}, nil, []string{"a"}},
		// The stats API has no longest period, unlike the dashboard.
		{"twenty years", leader, Filter{From: "2001-01-01", To: "2021-12-31"}, nil, nil},
		{"one day", leader, Filter{From: "2021-03-01", To: "2021-03-01"}, nil, nil},
		{"bad from", leader, Filter{From: "2021-02-30", To: "2021-03-01"}, []string{"from"}, nil},
		{"both bad", leader, Filter{From: "x", To: ""}, []string{"from", "to"}, nil},
		{"backwards", leader, Filter{From: "2021-03-02", To: "2021-03-01"}, []string{"to"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &fakeStore{}
			svc := &Service{Store: st, Now: func() time.Time { return clock }}
			_, err := svc.Stats(context.Background(), tt.u, tt.f)
			if got := problemFields(err); !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tt.fields, err)
			}
			if tt.fields != nil {
				if len(st.got) != 0 {
					t.Errorf("read the store despite bad input")
				}
				return
			}
			if len(st.got) != 1 || !slices.Equal(st.got[0].Units, tt.wantUnit) || !st.got[0].Now.Equal(clock) {
				t.Errorf("store got %+v", st.got)
			}
		})
	}
}

func TestThisYearByDefault(t *testing.T) {
	today := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	tests := []struct{ in, want Filter }{
		{Filter{}, Filter{From: "2026-01-01", To: "2026-12-04"}},
		{Filter{From: "2021-01-01"}, Filter{From: "2021-01-01", To: "2026-12-04"}},
		{Filter{To: "2021-10-31", Unit: "a"}, Filter{From: "2026-01-01", To: "2021-10-31", Unit: "a"}},
		{Filter{From: "2021-01-01", To: "2021-10-31"}, Filter{From: "2021-01-01", To: "2021-10-31"}},
	}
	for _, tt := range tests {
		if got := tt.in.ThisYearByDefault(today); got.From != tt.want.From || got.To != tt.want.To || got.Unit != tt.want.Unit {
			t.Errorf("%+v: got %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestSummaryAsksTheLedgers(t *testing.T) {
	items := &fakeSource{name: "items", figs: Figures{"received": 5}}
	matters := &fakeSource{name: "matters", figs: Figures{"done": 4, "outcome_cattle": 5}}
	measures := &fakeSource{name: "measures", figs: Figures{"implemented": 2}}
	svc := &Service{Sources: []Source{items, matters, measures}, Ledgers: []Source{matters, measures}, Store: &fakeStore{}, Now: func() time.Time { return clock }}
	ctx := context.Background()

	r, err := svc.Summary(ctx, headA, Filter{From: "2001-01-01", To: "2021-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Registers) != 2 || r.Figure("matters", "done") != 4 || r.Figure("matters", "outcome_cattle") != 5 || r.Figure("measures", "implemented") != 2 {
		t.Errorf("summary %+v, want the ledgers' figures only", r)
	}
	if !slices.Equal(matters.got.Units, []string{"a"}) || !slices.Equal(measures.got.Units, []string{"a"}) {
		t.Errorf("a unit head's ledgers got units %v and %v, want [a]", matters.got.Units, measures.got.Units)
	}

	// The period is checked as the stats API's (no longest period); a unit
	// the reader may not see is refused naming unit.
	for _, tt := range []struct {
		name       string
		u          org.User
		f          Filter
		code       string
		field, msg string
	}{
		{"bad from", leader, Filter{From: "2021-1-1", To: "2021-01-31"}, minyi.EInvalid, "from", "must be YYYY-MM-DD"},
		{"to before from", leader, Filter{From: "2021-02-01", To: "2021-01-31"}, minyi.EInvalid, "to", "to must not be before from"},
		{"another unit", headA, Filter{From: "2021-01-01", To: "2021-01-31", Unit: "b"}, minyi.EForbidden, "unit", "your own unit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Summary(ctx, tt.u, tt.f)
			var e *minyi.Error
			if !errors.As(err, &e) || e.Code != tt.code || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || !strings.Contains(e.Fields[0].En, tt.msg) {
				t.Errorf("got %v, want %s naming %s", err, tt.code, tt.field)
			}
			if _, serr := svc.Stats(ctx, tt.u, tt.f); tt.code == minyi.EInvalid && serr.Error() != err.Error() {
				t.Errorf("the stats API says %v, the summary %v", serr, err)
			}
		})
	}
}
