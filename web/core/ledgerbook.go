package core

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/dispute"
	"minyi/indicator"
	"minyi/matter"
	"minyi/measure"
	"minyi/onestop"
	"minyi/org"
	"minyi/publicity"
	"minyi/register"
	"minyi/reporting"
	"minyi/servicepoint"
	"minyi/survey"
	"minyi/volunteer"
	"minyi/xlsx"
)

// The ledgers' workbook (台账, issue 14 §4): one .xlsx for a period with a
// sheet per register, each built from the register's table (exports.go)
// over its own door: the archive, matters, measures, service points,
// volunteer activities, disputes, indicators' entries, one-stop cases and
// publicity pieces by their streamed doors (Service.Each: in the order
// filed, a chunk of ids at a time, no pages, no counts), which scope and
// mask as their lists; the questionnaires by their list's pages. So the
// rows, the authorisation and the masking are the lists'. GET
// /api/v1/ledgers/export and the figures page's link answer it.

// LedgerBookMaxRows bounds each sheet of the workbook: Excel's rows less
// the header. A year's archive of a million items still fits.
const LedgerBookMaxRows = 1_048_575

// LedgerBook reads the workbook's period (from, to: days, this year by
// default) and unit from r and answers the workbook for the caller u, one
// workbook at a time: another asked meanwhile waits up to WorkbookWait,
// then is refused (429, Retry-After).
func (s *Base) LedgerBook(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	f := reporting.Filter{From: q.Get("from"), To: q.Get("to"), Unit: q.Get("unit")}.ThisYearByDefault(s.Now().In(calendar.Zone))
	if c := q.Get("campaign"); c != "" {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || id <= 0 {
			return minyi.Invalid("campaign", "活动编号须为正整数", "campaign must be a positive number")
		}
		f.Campaign = id
	}
	// Refused at once, not after waiting for another workbook.
	if err := checkLedgers(u, f); err != nil {
		return err
	}
	// One workbook made at a time: the next waits its turn (slot), until
	// this one's sheets are made and it is being sent (send), however
	// slowly the caller reads it.
	if err := s.workbooks.take(r.Context(), WorkbookWait, errWorkbookBusy); err != nil {
		return err
	}
	var once sync.Once
	send := func() { once.Do(s.workbooks.release) }
	defer send()
	tables, err := s.LedgerTables(r.Context(), u, f)
	if err != nil {
		return err
	}
	title, file := "台账"+f.From+"至"+f.To, "ledgers-"+f.From+"-"+f.To
	if f.Unit != "" {
		title += "-" + f.Unit
		file += "-" + f.Unit
	}
	if f.Campaign != 0 {
		title += "-活动" + strconv.FormatInt(f.Campaign, 10)
		file += "-campaign-" + strconv.FormatInt(f.Campaign, 10)
	}
	return s.writeTables(w, FormatXLSX, title, file, tables, send)
}

// checkLedgers refuses a workbook's period that is not one (CheckPeriod)
// and a unit u may not see.
func checkLedgers(u org.User, f reporting.Filter) error {
	if err := f.CheckPeriod(); err != nil {
		return err
	}
	if f.Unit != "" && !u.CanSeeUnit(f.Unit) {
		return &minyi.Error{Code: minyi.EForbidden, Message: "只能导出本单位的台账 / you may only export your own unit's ledgers",
			Fields: []minyi.FieldError{{Field: "unit", Zh: "只能导出本单位的台账", En: "you may only export your own unit's ledgers"}}}
	}
	return nil
}

// LedgerTables are the workbook's sheets for the period of f (its days,
// inclusive) and its unit (empty: every unit u may see), in the order of
// the seed report: the archive (民意档案: the items received in the
// period, in the order filed: by number), the matters done, the measures implemented, the service points
// (all of them, open or closed), the volunteer activities, the disputes
// found, the indicators (a row per indicator and unit, a column per month
// whose first day is in the period), the one-stop cases opened (in the
// order filed), the publicity pieces, and the questionnaires' results in
// the period. With a campaign (f.Campaign) the registers that carry one
// (matters, measures, service points, volunteer activities, disputes,
// publicity, questionnaires) hold its records only; the archive, the
// indicators and the one-stop cases carry none and are the period's whole,
// as the campaign's report counts them.
func (s *Base) LedgerTables(ctx context.Context, u org.User, f reporting.Filter) ([]xlsx.Table, error) {
	if err := checkLedgers(u, f); err != nil {
		return nil, err
	}
	names, err := s.ExportNames(ctx, u)
	if err != nil {
		return nil, err
	}
	from, _ := time.ParseInLocation(time.DateOnly, f.From, calendar.Zone)
	to, _ := time.ParseInLocation(time.DateOnly, f.To, calendar.Zone)
	to = to.AddDate(0, 0, 1)
	svc := s.Svc
	var tables []xlsx.Table
	add := func(t xlsx.Table, err error) error {
		if err == nil {
			tables = append(tables, t)
		}
		return err
	}
	max := LedgerBookMaxRows
	// The archive, by far the largest sheet with the cases' (both made
	// first, side by side: Large), is read in the order filed: a ledger's
	// order, and the table's (store.EachItem).
	archiveSheet := StreamRows(max, names, ItemsExport, func(fn func(archive.Item) error) error {
		return s.Items.Each(ctx, u, archive.Filter{Unit: f.Unit, From: &from, To: &to, Sort: archive.SortFiled, Brief: true}, fn)
	})
	archiveSheet.Large = true
	tables = append(tables, archiveSheet)
	if err == nil && svc.Matters != nil {
		// The matters done, oldest first, by their streamed door.
		tables = append(tables, StreamRows(max, names, MattersExport, func(fn func(matter.Matter) error) error {
			return svc.Matters.Each(ctx, u, matter.Filter{Unit: f.Unit, Status: matter.StatusDone, From: f.From, To: f.To, Campaign: f.Campaign}, fn)
		}))
	}
	if err == nil && svc.Measures != nil {
		tables = append(tables, StreamRows(max, names, MeasuresExport, func(fn func(measure.Measure) error) error {
			return svc.Measures.Each(ctx, u, measure.Filter{Unit: f.Unit, Status: measure.StatusImplemented, From: f.From, To: f.To, Campaign: f.Campaign}, fn)
		}))
	}
	if err == nil && svc.Points != nil {
		tables = append(tables, StreamRows(max, names, PointsExport, func(fn func(servicepoint.Point) error) error {
			return svc.Points.Each(ctx, u, servicepoint.Filter{Unit: f.Unit, Campaign: f.Campaign}, fn)
		}))
	}
	if err == nil && svc.Volunteer != nil {
		tables = append(tables, StreamRows(max, names, VolunteerExport, func(fn func(volunteer.Activity) error) error {
			return svc.Volunteer.Each(ctx, u, volunteer.Filter{Unit: f.Unit, From: f.From, To: f.To, Campaign: f.Campaign}, fn)
		}))
	}
	if err == nil && svc.Disputes != nil {
		tables = append(tables, StreamRows(max, names, DisputesExport, func(fn func(dispute.Dispute) error) error {
			return svc.Disputes.Each(ctx, u, dispute.Filter{Unit: f.Unit, From: f.From, To: f.To, Campaign: f.Campaign}, fn)
		}))
	}
	if err == nil && svc.Indicators != nil {
		err = add(s.indicatorGrid(ctx, u, f, names))
	}
	if err == nil && svc.OneStop != nil {
		// The cases, the other half of a year's rows, are read by their
		// streamed door too, in the order filed.
		cases := StreamRows(max, names, CasesExport, func(fn func(onestop.Case) error) error {
			return svc.OneStop.Each(ctx, u, onestop.Filter{From: f.From, To: f.To, Brief: true}, func(c onestop.Case) error {
				if f.Unit != "" && c.Unit != f.Unit { // the cases count for the unit that opened them
					return nil
				}
				return fn(c)
			})
		})
		cases.Large = true
		tables = append(tables, cases)
	}
	if err == nil && svc.Publicity != nil {
		tables = append(tables, StreamRows(max, names, PublicityExport, func(fn func(publicity.Piece) error) error {
			return svc.Publicity.Each(ctx, u, publicity.Filter{Unit: f.Unit, From: f.From, To: f.To, Campaign: f.Campaign}, fn)
		}))
	}
	if err == nil && svc.Surveys != nil {
		err = add(s.surveyResults(ctx, u, f, names), nil)
	}
	return tables, err
}

// indicatorGrid is the indicators' sheet: a row per indicator and unit
// with entries, a column per month whose first day is in f's period (as the
// summary counts them), and the period's figure of the row (the sum, or
// the latest month's value of an indicator kept as its last).
func (s *Base) indicatorGrid(ctx context.Context, u org.User, f reporting.Filter, names Names) (xlsx.Table, error) {
	var months []string
	for m, _ := time.Parse(time.DateOnly, f.From[:7]+"-01"); m.Format(time.DateOnly) <= f.To; m = m.AddDate(0, 1, 0) {
		if d := m.Format(time.DateOnly); d >= f.From {
			months = append(months, d[:7])
		}
	}
	defs, err := s.Svc.Indicators.Definitions(ctx, u)
	if err != nil {
		return xlsx.Table{}, err
	}
	type key struct{ indicator, unit string }
	cells := map[key][]indicator.Entry{}
	if len(months) > 0 {
		// Read whole by the streamed door: the grid does not depend on the
		// entries' order.
		err := s.Svc.Indicators.Each(ctx, u, indicator.Filter{Unit: f.Unit, From: months[0], To: months[len(months)-1]}, func(e indicator.Entry) error {
			k := key{e.Indicator, e.Unit}
			cells[k] = append(cells[k], e)
			return nil
		})
		if err != nil {
			return xlsx.Table{}, err
		}
	}
	units, err := s.Org.Units(ctx)
	if err != nil {
		return xlsx.Table{}, err
	}
	cols := []xlsx.Column{col("指标"), col("计量单位"), col("单位")}
	for _, m := range months {
		cols = append(cols, num(m))
	}
	cols = append(cols, num("期内合计（期末值）"))
	var rows [][]any
	for _, d := range defs {
		for _, un := range units {
			es := cells[key{d.Code, un.Code}]
			if len(es) == 0 {
				continue
			}
			row := []any{d.Name, d.Measure, un.Name}
			for _, m := range months {
				var v any
				for _, e := range es {
					if e.Month == m {
						v = e.Value
					}
				}
				row = append(row, v)
			}
			rows = append(rows, append(row, indicator.Figure(d.Aggregation, es)))
		}
	}
	return xlsx.Table{Sheet: "工作指标", Columns: cols, Rows: EachRow(rows)}, nil
}

// surveyResults is the questionnaires' sheet: each questionnaire of the
// units with answers in the period, its questions' options with their
// counts and shares, a scale's mean, a written question's count.
func (s *Base) surveyResults(ctx context.Context, u org.User, f reporting.Filter, names Names) xlsx.Table {
	cols := []xlsx.Column{num("问卷编号"), col("问卷"), col("单位"), num("答卷数"), num("题号"), col("题目"), col("选项"), num("人数"), num("占比（%）")}
	return xlsx.Table{Sheet: "问卷结果", Columns: cols, Rows: func(yield func([]any) error) error {
		cursor := ""
		for {
			p, err := s.Svc.Surveys.List(ctx, u, survey.Filter{Filter: register.Filter{Limit: exportPage, Cursor: cursor}, Unit: f.Unit, Campaign: f.Campaign})
			if err != nil {
				return err
			}
			for _, sv := range p.Items {
				if sv.Answers == 0 {
					continue
				}
				res, err := s.Svc.Surveys.Results(ctx, u, sv.ID, survey.ResultFilter{From: f.From, To: f.To})
				if err != nil {
					return err
				}
				if res.Answers == 0 {
					continue
				}
				head := []any{sv.ID, sv.Title, names.Unit(sv.Unit), res.Answers}
				for _, q := range res.Questions {
					qh := append(slices.Clone(head), q.Number, q.Text)
					if q.Kind == survey.KindText {
						if err := yield(append(qh, "（文字作答）", q.Answered, nil)); err != nil {
							return err
						}
						continue
					}
					for _, o := range q.Options {
						label := o.Label
						if q.Kind == survey.KindScale {
							label += "分"
						}
						if err := yield(append(slices.Clone(qh), label, o.Count, o.Percent)); err != nil {
							return err
						}
					}
					if q.Kind == survey.KindScale {
						if err := yield(append(qh, "平均分："+strconv.FormatFloat(q.Mean, 'f', 2, 64), nil, nil)); err != nil {
							return err
						}
					}
				}
			}
			if cursor = p.NextCursor; cursor == "" {
				return nil
			}
		}
	}}
}

// EachRow yields rows in turn: a table's rows held in memory.
func EachRow(rows [][]any) func(func([]any) error) error {
	return func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}
}
