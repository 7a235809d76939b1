package pages

import (
	"net/http"

	"minyi/archive"
	"minyi/org"
	"minyi/web/core"
)

// mineData is 我的待办: the open items the reader is in charge of.
type mineData struct {
	Page   archive.ItemPage
	Cursor string
	Names  map[string]string // unit codes → names
}

// minePage lists the open items the logged-in officer is in charge of
// (承办人), due soonest first: what they have to do, whatever queue the
// items stand in.
func (s *Pages) minePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	f, err := core.ListFilter(r)
	if err != nil {
		return err
	}
	f.Assignee, f.Statuses, f.Sort, f.Query = "me", archive.OpenStatuses, archive.SortDue, ""
	page, err := s.Items.List(ctx, u, f)
	if err != nil {
		return err
	}
	units, err := s.Org.Units(ctx)
	if err != nil {
		return err
	}
	d := mineData{Page: page, Names: map[string]string{}}
	for _, un := range units {
		d.Names[un.Code] = un.Name
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("mine.title")
	s.Render(w, r, http.StatusOK, "mine", v)
	return nil
}

// workloadData is the workload of a unit's officers.
type workloadData struct {
	Unit     string
	Units    []org.Unit // the units a leader may choose; empty for a unit head
	Officers []workloadRow
}

// workloadRow is one officer's line.
type workloadRow struct {
	archive.Workload
	Name string // display name
}

// workloadPage shows a unit's head (and leaders, for the unit they choose)
// what each officer has in hand: open items in their charge, overdue ones,
// answered this month (archive.Service.Workload).
func (s *Pages) workloadPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	d := workloadData{Unit: r.URL.Query().Get("unit")}
	if d.Unit == "" {
		d.Unit = u.UnitCode
	}
	if u.SeesAll() {
		units, err := s.Org.Units(ctx)
		if err != nil {
			return err
		}
		for _, un := range units {
			if un.TakesAddressed() || un.DispatchByBureau {
				d.Units = append(d.Units, un)
			}
		}
		if d.Unit == u.UnitCode && len(d.Units) > 0 && r.URL.Query().Get("unit") == "" {
			d.Unit = d.Units[0].Code
		}
	}
	counts, err := s.Items.Workload(ctx, u, d.Unit)
	if err != nil {
		return err
	}
	names, err := s.Org.DisplayNames(ctx)
	if err != nil {
		return err
	}
	for _, c := range counts {
		d.Officers = append(d.Officers, workloadRow{Workload: c, Name: names[c.Assignee]})
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("workload.title")
	s.Render(w, r, http.StatusOK, "workload", v)
	return nil
}
