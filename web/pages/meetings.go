package pages

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/locale"
	"minyi/meeting"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// Opinion rows of the meeting form: how many it starts with and at most.
// Its "add a row" button adds one, keeping what was typed: app.js clones a
// row in the page, without script the server shows the form again.
const (
	defaultMeetingRows = 5
	maxMeetingRows     = 50
)

type meetingsData struct {
	Page      meeting.Page
	UnitNames map[string]string
	CanRecord bool
}

// meetingsPage lists the meetings the user may see, newest first, with how
// many opinions each raised and how many of those are closed out.
func (s *Pages) meetingsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	// The list's filter is its page: 20 rows on the page, as many as an
	// export reads (WriteList's limit) to the file.
	page, _, done, err := listOrExport(s, w, r, core.MeetingsExport, func(r *http.Request) (meetingsQuery, map[string]string, error) {
		q := r.URL.Query()
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 {
			n = 20
		}
		return meetingsQuery{limit: n, cursor: q.Get("cursor")}, nil, nil
	}, func(ctx context.Context, u org.User, f meetingsQuery) (register.Page[meeting.Meeting], error) {
		p, err := s.Meetings.List(ctx, u, f.limit, f.cursor)
		return register.Page[meeting.Meeting]{Items: p.Meetings, NextCursor: p.NextCursor}, err
	})
	if done || err != nil {
		return err
	}
	names, err := s.unitNames(r)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", meetingsData{Page: meeting.Page{Meetings: page.Items, NextCursor: page.NextCursor}, UnitNames: names, CanRecord: u.CanFile()})
	v.Title = v.T("meetings.title")
	s.Render(w, r, http.StatusOK, "meetings", v)
	return nil
}

// meetingsQuery is a page of the meetings' list asked for.
type meetingsQuery struct {
	limit  int
	cursor string
}

// meetingRow is one opinion row of the form.
type meetingRow struct{ Kind, Category, Text, Name, Phone string }

// empty reports whether nothing was written in the row; the kind alone does
// not count, since it may have been picked before the row was needed.
func (row meetingRow) empty() bool {
	return strings.TrimSpace(row.Text+row.Category+row.Name+row.Phone) == ""
}

// meetingForm is the meeting form as staff filled it.
type meetingForm struct {
	Date, Place, HostUnit, Groups, Attendees, Minutes string
	Rows                                              []meetingRow
}

type meetingFormData struct {
	Form       meetingForm
	Kinds      []archive.Label
	Categories []archive.Category
	Units      []org.Unit // to choose from; nil when the host is the user's own unit
	UnitName   string
	Today      string
	MaxRows    int      // the most opinion rows the form takes
	Summary    []string // every problem, rows named, for the list at the top
}

// meetingNewPage shows an empty meeting form with ?rows= opinion rows.
func (s *Pages) meetingNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	f := meetingForm{Date: chinaToday(), HostUnit: u.UnitCode}
	f.Rows = make([]meetingRow, rowCount(r.URL.Query().Get("rows")))
	s.showMeetingForm(w, r, http.StatusOK, u, f, nil)
	return nil
}

// rowCount reads a number of rows, defaulting and clamping it.
func rowCount(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return defaultMeetingRows
	}
	return min(n, maxMeetingRows)
}

func (s *Pages) showMeetingForm(w http.ResponseWriter, r *http.Request, status int, u org.User, f meetingForm, errs map[string]string) {
	d := meetingFormData{Form: f, Kinds: archive.Kinds, Today: chinaToday(), MaxRows: maxMeetingRows}
	var err error
	if d.Categories, err = s.ActiveCategories(r); err != nil {
		s.PageError(w, r, err)
		return
	}
	if d.Units, d.UnitName, err = s.unitChoice(r.Context(), u); err != nil {
		s.PageError(w, r, err)
		return
	}
	v := s.NewView(w, r, "", nil)
	v.Title = v.T("meeting.new_title")
	v.Errors = errs
	d.Summary = errorSummary(v, errs)
	v.Data = d
	s.Render(w, r, status, "meeting_new", v)
}

var opinionField = regexp.MustCompile(`^opinions\[(\d+)\]\.`)

// errorSummary lists the problems for the top of the form, naming the row
// of each opinion's problem, rows in order.
func errorSummary(v *core.View, errs map[string]string) []string {
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	row := func(k string) int {
		if m := opinionField.FindStringSubmatch(k); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n + 1
		}
		return 0
	}
	sort.Slice(keys, func(i, j int) bool {
		if a, b := row(keys[i]), row(keys[j]); a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = errs[k]
		if n := row(k); n > 0 {
			out[i] = v.T("meeting.row_problem", n, errs[k])
		}
	}
	return out
}

// createMeeting records a meeting with the opinions of its non-empty rows.
// Nothing is stored unless the meeting and every opinion are in order.
func (s *Pages) createMeeting(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	f := readMeetingForm(r, u)
	if r.PostFormValue("add_row") != "" {
		// The form's "add a row" button without script: the same form
		// again with everything typed and one empty row more, nothing saved.
		if len(f.Rows) < maxMeetingRows {
			f.Rows = append(f.Rows, meetingRow{})
		}
		s.showMeetingForm(w, r, http.StatusOK, u, f, nil)
		return nil
	}
	opinions, rowOf := f.opinions()
	m, p := f.meeting()
	m.FormToken = r.PostFormValue(formTokenField)
	lang := core.PreferredLang(r)
	m, items, err := s.Meetings.Record(ctx, u, m, opinions)
	if err != nil {
		if minyi.ErrorCode(err) != minyi.EInvalid {
			return err
		}
		s.showMeetingForm(w, r, http.StatusBadRequest, u, f, s.meetingErrors(lang, err, rowOf, p))
		return nil
	}
	s.Log.InfoContext(ctx, "meeting recorded", "meeting", m.ID, "opinions", len(items), "by", u.Name)
	core.SetFlash(w, s.meetingSaved(lang, items))
	http.Redirect(w, r, "/staff/meetings/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
	return nil
}

// readMeetingForm reads the meeting form as u filled it, with as many
// opinion rows as it says it had.
func readMeetingForm(r *http.Request, u org.User) meetingForm {
	f := meetingForm{
		Date: strings.TrimSpace(r.PostFormValue("date")), Place: r.PostFormValue("place"),
		HostUnit: r.PostFormValue("host_unit"), Groups: r.PostFormValue("attendee_groups"),
		Attendees: strings.TrimSpace(r.PostFormValue("attendees")), Minutes: r.PostFormValue("minutes"),
	}
	if f.HostUnit == "" {
		// The form shows unit staff their own unit without a choice; the
		// service refuses any other (meeting.Service.Record).
		f.HostUnit = u.UnitCode
	}
	f.Rows = make([]meetingRow, rowCount(r.PostFormValue("rows")))
	for i := range f.Rows {
		field := func(name string) string { return r.PostFormValue(fmt.Sprintf("opinions[%d].%s", i, name)) }
		f.Rows[i] = meetingRow{Kind: field("kind"), Category: field("category"), Text: field("text"), Name: field("name"), Phone: field("phone")}
	}
	return f
}

// opinions are the opinions of the form's non-empty rows, and the row each
// came from (rowOf), to show the service's problems beside their rows.
func (f meetingForm) opinions() (opinions []archive.Submission, rowOf []int) {
	for i, row := range f.Rows {
		if row.empty() {
			continue
		}
		opinions = append(opinions, archive.Submission{Kind: archive.Kind(row.Kind), Category: row.Category, Text: row.Text,
			Contact: archive.Contact{Name: row.Name, Phone: row.Phone}})
		rowOf = append(rowOf, i)
	}
	return opinions, rowOf
}

// meeting is the meeting the form describes, with the problems of the
// values it cannot read. Such a value is passed on as an invalid one (a
// zero day, a negative count), so that the service refuses the record and
// still reports every other problem; the form's own message then wins
// (meetingErrors).
func (f meetingForm) meeting() (meeting.Meeting, minyi.Problems) {
	m := meeting.Meeting{Place: f.Place, HostUnit: f.HostUnit, AttendeeGroups: meeting.ParseAttendeeGroups(f.Groups), Minutes: f.Minutes}
	var p minyi.Problems
	if f.Date != "" {
		m.Date, _ = formDay(&p, "date", f.Date)
	}
	if f.Attendees != "" {
		if n, err := strconv.Atoi(f.Attendees); err != nil {
			p.Add("attendees", "参加人数须为整数", "attendees must be a whole number")
			m.Attendees = -1
		} else {
			m.Attendees = n
		}
	}
	return m, p
}

// meetingErrors are the messages of a refused record for the form: the
// service's, each beside its row (rowOf), then the form's own (p), which
// say better what is wrong with a value the form could not read.
func (s *Pages) meetingErrors(lang locale.Lang, err error, rowOf []int, p minyi.Problems) map[string]string {
	errs := core.FieldErrors(s.Catalog, lang, remapRows(err, rowOf))
	if errs == nil {
		errs = map[string]string{"form": core.LocalMessage(lang, minyi.ErrorMessage(err))}
	}
	for k, msg := range core.FieldErrors(s.Catalog, lang, p.Err()) {
		errs[k] = msg
	}
	return errs
}

// meetingSaved is the flash after a meeting is recorded: how many opinions
// it filed, and their numbers for staff to write down.
func (s *Pages) meetingSaved(lang locale.Lang, items []archive.Item) string {
	msg := s.Catalog.T(lang, "meeting.saved", len(items))
	if len(items) == 0 {
		return msg
	}
	numbers := make([]string, len(items))
	for i, it := range items {
		numbers[i] = it.Number
	}
	sep, list := "", "、" // Chinese runs sentences on and lists with 、
	if lang == locale.En {
		sep, list = " ", ", "
	}
	return msg + sep + s.Catalog.T(lang, "meeting.numbers", strings.Join(numbers, list))
}

// remapRows renames opinions[i] in a validation error to the form row the
// i-th non-empty opinion came from, so each problem shows beside its row.
func remapRows(err error, rowOf []int) error {
	e, ok := err.(*minyi.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]minyi.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if m := opinionField.FindStringSubmatchIndex(f.Field); m != nil {
			n, _ := strconv.Atoi(f.Field[m[2]:m[3]])
			if n < len(rowOf) {
				f.Field = fmt.Sprintf("opinions[%d].", rowOf[n]) + f.Field[m[1]:]
			}
		}
		out.Fields[i] = f
	}
	return &out
}

type meetingData struct {
	Meeting   meeting.Meeting
	Items     []archive.Item
	UnitNames map[string]string
}

// meetingPage shows a meeting's record, its minutes and where each of its
// opinions stands.
func (s *Pages) meetingPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "座谈会不存在 / meeting not found")
	}
	m, items, err := s.Meetings.Get(ctx, u, id)
	if err != nil {
		return err
	}
	names, err := s.unitNames(r)
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", meetingData{Meeting: m, Items: items, UnitNames: names})
	v.Title = v.T("meeting.title", m.Day(), v.Conv(m.Place))
	s.Render(w, r, http.StatusOK, "meeting", v)
	return nil
}
