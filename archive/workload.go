package archive

import (
	"context"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/org"
)

// Workload is one officer's share of a unit's items (承辦人工作量): the
// open items they are in charge of, how many of those are overdue, and how
// many they answered this month.
type Workload struct {
	Assignee string `json:"assignee"`
	Open     int    `json:"open"`
	Overdue  int    `json:"overdue"`
	Answered int    `json:"answered_this_month"`
}

// Handlers returns the officers who may be put in charge of unit's items
// (org.User.CanHandle), for staff who see the unit: the choices of an
// assignment. Their passwords' hashes are not returned.
func (s *Service) Handlers(ctx context.Context, u org.User, unit string) ([]org.User, error) {
	if err := lifecycle.MaySee(u, unit); err != nil {
		return nil, err
	}
	all, err := s.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.User
	for _, x := range all {
		if x.CanHandle(unit) {
			x.PasswordHash = ""
			out = append(out, x)
		}
	}
	return out, nil
}

// Workload returns the workload of every officer of unit who handles its
// items (Handlers), and of anyone else still in charge of some of them,
// for the unit's head and for leaders and admins; "answered this month"
// counts first answers since the first of the month, China time.
func (s *Service) Workload(ctx context.Context, u org.User, unit string) ([]Workload, error) {
	switch {
	case unit == "":
		return nil, minyi.Invalid("unit", "请选择单位", "unit is required")
	case !u.SeesAll() && !(u.Role == org.RoleUnitHead && u.UnitCode == unit):
		return nil, minyi.Errorf(minyi.EForbidden, "只有本单位所队长和局领导能查看承办人工作量 / only the unit's head and the bureau's leaders see its officers' workload")
	}
	staff, err := s.Handlers(ctx, u, unit)
	if err != nil {
		return nil, err
	}
	now := s.now()
	y, m, _ := now.In(calendar.Zone).Date()
	counted, err := s.Store.Workload(ctx, unit, now, time.Date(y, m, 1, 0, 0, 0, 0, calendar.Zone))
	if err != nil {
		return nil, err
	}
	byName := map[string]Workload{}
	for _, w := range counted {
		byName[w.Assignee] = w
	}
	var out []Workload
	for _, x := range staff {
		w := byName[x.Name]
		w.Assignee = x.Name
		out = append(out, w)
		delete(byName, x.Name)
	}
	for _, w := range counted {
		if _, left := byName[w.Assignee]; left {
			out = append(out, w)
		}
	}
	return out, nil
}
