package pages

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
	"minyi/web/core"
)

// entryChannels are the channels whose opinions staff type in from paper or
// from what they heard; online channels file themselves and meetings have
// their own form.
var entryChannels = []archive.Channel{archive.ChannelPaperBox, archive.ChannelSurvey,
	archive.ChannelVisit, archive.ChannelPhone, archive.ChannelWalkIn}

func isEntryChannel(c archive.Channel) bool {
	for _, e := range entryChannels {
		if e == c {
			return true
		}
	}
	return false
}

// entryForm is the fast entry form as staff filled it.
type entryForm struct {
	Channel, Detail, Date, Unit string // kept from slip to slip
	Kind, Category, Class, Text string
	Name, Phone, IDNumber       string
	Anonymous                   bool
	Township, Village, Address  string
}

type entryData struct {
	Form       entryForm
	Channels   []archive.Channel
	Kinds      []archive.Label
	Classes    []archive.Label
	Categories []archive.Category
	Units      []org.Unit // to choose from; nil when the unit is the user's own
	UnitName   string     // the user's own unit, when not choosing
	Today      string
	Earliest   string // the earliest day of collection the policy allows
}

// entryPage shows a fresh entry form. The batch fields (channel, its
// detail, the day of collection, the unit) come from the query, so that
// after each slip the form comes back ready for the next one of the pile.
func (s *Pages) entryPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	q := r.URL.Query()
	f := entryForm{Channel: q.Get("channel"), Detail: q.Get("detail"), Date: q.Get("date"), Unit: q.Get("unit")}
	if !isEntryChannel(archive.Channel(f.Channel)) {
		f.Channel = string(archive.ChannelPaperBox)
	}
	if f.Date == "" {
		f.Date = chinaToday()
	}
	if f.Unit == "" || !u.SeesAll() {
		f.Unit = u.UnitCode
	}
	s.showEntry(w, r, http.StatusOK, u, f, nil)
	return nil
}

func readOnly() error {
	return minyi.Errorf(minyi.EForbidden, "协作单位账号只能查看 / partner accounts are read-only")
}

func chinaToday() string { return time.Now().In(calendar.Zone).Format("2006-01-02") }

func (s *Pages) showEntry(w http.ResponseWriter, r *http.Request, status int, u org.User, f entryForm, err error) {
	d := entryData{Form: f, Channels: entryChannels, Kinds: archive.Kinds, Classes: archive.Classes, Today: chinaToday(),
		Earliest: s.Items.Policy().EarliestCollection(time.Now()).Format("2006-01-02")}
	var cerr error
	if d.Categories, cerr = s.ActiveCategories(r); cerr != nil {
		s.PageError(w, r, cerr)
		return
	}
	if d.Units, d.UnitName, cerr = s.unitChoice(r.Context(), u); cerr != nil {
		s.PageError(w, r, cerr)
		return
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("entry.title")
	v.Errors = core.FormErrors(s.Catalog, v.Lang, err)
	s.Render(w, r, status, "entry", v)
}

// submitEntry files one slip and returns to a fresh form for the next,
// with the new item's number and access code in the flash so that staff can
// write them on the slip or tell the citizen.
func (s *Pages) submitEntry(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := readEntryForm(r, u)
	sub := f.submission()
	sub.FormToken = r.PostFormValue(formTokenField)
	now := time.Now()
	p := entryChecks(&sub, f.Date, now)
	photos, err := formPhotos(r.MultipartForm)
	if err != nil {
		s.showEntry(w, r, core.StatusOf(minyi.ErrorCode(err)), u, f, err)
		return nil
	}
	sub.Photos = photos
	if len(p) > 0 {
		s.showEntry(w, r, http.StatusBadRequest, u, f, entryProblems(p, sub, now))
		return nil
	}
	it, code, err := s.Items.Submit(ctx, &u, sub)
	if err != nil {
		s.showEntry(w, r, core.StatusOf(minyi.ErrorCode(err)), u, f, err)
		return nil
	}
	s.Log.InfoContext(ctx, "slip entered", "number", it.Number, "channel", it.Channel, "by", u.Name)
	core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "entry.saved", it.Number, code))
	next := url.Values{"channel": {f.Channel}, "detail": {strings.TrimSpace(f.Detail)}, "date": {f.Date}, "unit": {f.Unit}}
	http.Redirect(w, r, "/staff/entry?"+next.Encode(), http.StatusSeeOther)
	return nil
}

// readEntryForm reads the entry form as u filled it.
func readEntryForm(r *http.Request, u org.User) entryForm {
	f := entryForm{
		Channel: r.PostFormValue("channel"), Detail: r.PostFormValue("detail"),
		Date: strings.TrimSpace(r.PostFormValue("date")), Unit: r.PostFormValue("unit"),
		Kind: r.PostFormValue("kind"), Category: r.PostFormValue("category"), Class: r.PostFormValue("class"),
		Text: r.PostFormValue("text"), Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"),
		IDNumber: r.PostFormValue("id_number"), Anonymous: r.PostFormValue("anonymous") != "",
		Township: r.PostFormValue("township"), Village: r.PostFormValue("village"), Address: r.PostFormValue("address"),
	}
	if f.Unit == "" && !u.SeesAll() {
		// Unit staff enter slips for their own unit, which the form shows
		// them without a choice; the bureau dispatches onwards what belongs
		// elsewhere. Any other unit is the service's to refuse.
		f.Unit = u.UnitCode
	}
	return f
}

// submission is the slip the form describes, but for its day of
// collection (entryChecks) and its photos.
func (f entryForm) submission() archive.Submission {
	return archive.Submission{
		Kind: archive.Kind(f.Kind), Channel: archive.Channel(f.Channel), ChannelDetail: f.Detail,
		Class: archive.Class(f.Class), Category: f.Category, Unit: f.Unit, Text: f.Text,
		Contact:  archive.Contact{Anonymous: f.Anonymous, Name: f.Name, Phone: f.Phone, IDNumber: f.IDNumber},
		Location: archive.Location{Township: f.Township, Village: f.Village, Address: f.Address},
	}
}

// entryChecks checks what only the entry form asks: a channel staff type
// in, and the day of collection (date), which may not be in the future. A
// past day becomes sub's time of receipt; today's is left to the service,
// which takes the time of filing.
func entryChecks(sub *archive.Submission, date string, now time.Time) minyi.Problems {
	var p minyi.Problems
	if !isEntryChannel(sub.Channel) {
		p.Add("channel", "请选择意见箱、调查问卷、走访、电话或来访", "channel must be one of paper_box, survey, visit, phone, walk_in")
	}
	if date == "" {
		return p
	}
	day, ok := formDay(&p, "received_at", date)
	switch {
	case !ok:
	case archive.ChinaDay(day).Before(archive.ChinaDay(now)):
		at := archive.ReceivedOn(day, now)
		sub.ReceivedAt = &at
	case day.After(now):
		p.Add("received_at", "收集日期不能晚于今天", "the day of collection cannot be in the future")
	}
	return p
}

// entryProblems reports the form's own problems (p) together with the
// submission's, so that staff see them all at once; the form has already
// said what is wrong with the channel and the day.
func entryProblems(p minyi.Problems, sub archive.Submission, now time.Time) error {
	_, verr := sub.Validate(true, now)
	var e *minyi.Error
	if errors.As(verr, &e) {
		for _, fe := range e.Fields {
			if fe.Field != "channel" && fe.Field != "received_at" {
				p.Add(fe.Field, fe.Zh, fe.En)
			}
		}
	}
	return p.Err()
}
