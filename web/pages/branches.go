package pages

import (
	"net/http"
	"time"

	"minyi/calendar"
	"minyi/matter"
	"minyi/reporting"
	"minyi/volunteer"
	"minyi/web/core"
)

// The branch comparison (支部比拼): the party branches the user may see
// compared over a period, ranked as the API ranks them
// (reporting.Service.BranchRanking), each figure a link to the records
// behind it.

// branchRoutes are the branch comparison's pages.
func (s *Pages) branchRoutes() []route {
	return []route{
		{"GET", "/staff/branches", s.branchesPage, "staff"},
	}
}

// branchLine is one branch of the comparison as the page shows it.
type branchLine struct {
	reporting.BranchRow
	UnitName                  string
	Done, Led, OnTime         int64
	Activities, Hours, Served int64
	Answered, Visited         int64
	OnTimeShare, Satisfaction *float64
	ItemsShared               bool // the unit has other branches, which share its items
}

type branchesData struct {
	Lines    []branchLine
	From, To string
	Unit     string
	ledgerChoices
}

// branchesPage shows the comparison of ?from=&to= (this year by default),
// of one ?unit= or every unit the user may see.
func (s *Pages) branchesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	q := r.URL.Query()
	f := reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}.ThisYearByDefault(time.Now().In(calendar.Zone))
	branches, err := s.Org.Branches(ctx)
	if err != nil {
		return err
	}
	rows, err := s.Reports.BranchRanking(ctx, u, f, branches)
	if err != nil {
		return err
	}
	c, err := s.ledgerChoices(ctx, u)
	if err != nil {
		return err
	}
	perUnit := map[string]int{}
	for _, b := range branches {
		perUnit[b.UnitCode]++
	}
	d := branchesData{From: f.From, To: f.To, Unit: f.Unit, ledgerChoices: c, Lines: make([]branchLine, len(rows))}
	for i, row := range rows {
		m, v, it := row.Figures[matter.Register], row.Figures[volunteer.Register], row.Figures["items"]
		l := branchLine{BranchRow: row, UnitName: c.UnitNames[row.Unit], Done: m["done"], Led: m["led"], OnTime: m["on_time"],
			Activities: v["activities"], Hours: v["volunteer_hours"], Served: v["served"],
			Answered: it["answered"], Visited: it["visited"], ItemsShared: perUnit[row.Unit] > 1}
		if l.Done > 0 {
			share := float64(l.OnTime) / float64(l.Done)
			l.OnTimeShare = &share
		}
		l.Satisfaction = row.Rates["items"].Satisfaction
		d.Lines[i] = l
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("branches.title")
	s.Render(w, r, http.StatusOK, "branches", v)
	return nil
}
