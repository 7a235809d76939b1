package survey

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/org"
	"minyi/register"
	"minyi/reporting"
)

// Store persists questionnaires and their answers. *store.DB implements it.
type Store interface {
	// Lookups find the units a questionnaire names.
	register.Lookups
	// Units lists the bureau's units, whose townships answers name.
	Units(ctx context.Context) ([]org.Unit, error)
	// CampaignExists reports whether a campaign of that id exists.
	CampaignExists(ctx context.Context, id int64) (bool, error)
	// CreateSurvey stores s with its created event in one transaction,
	// assigning s.ID and s.Version, noting its page form (s.Form).
	CreateSurvey(ctx context.Context, s *Survey) error
	// UpdateSurvey stores s over the stored version with events in one
	// transaction and increments s.Version; a stale version is EConflict.
	// With keepShape it refuses (EConflict) a questionnaire that has
	// answers by then, so that an answer arriving meanwhile is never
	// counted against questions that changed under it.
	UpdateSurvey(ctx context.Context, s *Survey, version int, events []eventlog.Event, keepShape bool) error
	// Survey returns one questionnaire, or ENotFound.
	Survey(ctx context.Context, id int64) (Survey, error)
	// Surveys lists the questionnaires f selects, newest first, with
	// their total.
	Surveys(ctx context.Context, f Filter) (Page, error)
	// CreateAnswer stores a checked answer, its texts (each with a fresh
	// filing token), its counters (TallyOf) for its day and township, the
	// questionnaire's answer count, its event and its counted limits, in
	// one transaction, assigning a.ID. A voter who has answered is
	// EConflict, a use past its limit ETooMany; neither writes anything.
	// It refuses (EIllegal) when the questionnaire stopped taking answers.
	CreateAnswer(ctx context.Context, s Survey, a *Answer) error
	// Answer returns one answer, or ENotFound.
	Answer(ctx context.Context, survey, id int64) (Answer, error)
	// SurveyCounts sums the counters of a questionnaire over f.
	SurveyCounts(ctx context.Context, survey int64, f ResultFilter) ([]Count, error)
	// SurveyTownships counts the answers of f's period by township.
	SurveyTownships(ctx context.Context, survey int64, f ResultFilter) ([]TownshipCount, error)
	// SurveyTexts returns the latest free-text answers of f, at most limit.
	SurveyTexts(ctx context.Context, survey int64, f ResultFilter, limit int) ([]TextAnswer, error)
	// SurveyText returns one free-text answer with its token and phone.
	SurveyText(ctx context.Context, survey, answer int64, question string) (TextAnswer, error)
	// EachAnswer calls fn with every answer of f, oldest first.
	EachAnswer(ctx context.Context, survey int64, f ResultFilter, fn func(Answer) error) error
	// LinkItem notes that the text answer became item number, with the
	// event, in one transaction, unless it is linked already; it returns
	// the number the answer is linked to.
	LinkItem(ctx context.Context, survey, answer int64, question, number string, e eventlog.Event) (string, error)
	// SurveyFigures answers reporting (Service.Figures).
	SurveyFigures(ctx context.Context, f reporting.Filter) (reporting.Figures, error)
	// SurveyAnswersOf sums the answers of f's period to each of the
	// questionnaires ids of f's units, from the counters SurveyFigures
	// reads; one without answers is left out.
	SurveyAnswersOf(ctx context.Context, f reporting.Filter, ids []int64) (map[int64]int64, error)
}

// Service builds questionnaires, takes answers and reads results. Who sees
// and builds what is the ledgers' rule: a unit's officers and heads their
// own unit's questionnaires, partners read only, leaders and admins all.
// Answers come from anyone, without an account.
type Service struct {
	Store Store
	// Items files a free-text answer as an archive item.
	Items *archive.Service
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time { return register.Now(s.Now) }

func day(t time.Time) string { return archive.ChinaDay(t).Format(dayLayout) }

// Create validates sv and stores it as a draft, built by staff. A page form
// (sv.Form) files it once.
func (s *Service) Create(ctx context.Context, staff org.User, sv Survey) (Survey, error) {
	if err := archive.MayFile(staff, "unit", sv.Unit); err != nil {
		return Survey{}, err
	}
	if err := MayEdit(register.ActorFor(staff), sv.Unit); err != nil {
		return Survey{}, err
	}
	return archive.FileOnce(ctx, s.Store, Register, &sv.Form, func(id int64) (Survey, error) { return s.Get(ctx, staff, id) },
		func() (Survey, error) {
			now := s.now()
			sv, err := s.check(ctx, sv, nil)
			if err != nil {
				return Survey{}, err
			}
			sv.ID, sv.Status, sv.Answers, sv.PublishedOn, sv.ClosedOn = 0, StatusDraft, 0, "", ""
			sv.CreatedBy, sv.CreatedAt, sv.UpdatedAt = staff.Name, now, now
			if err := s.Store.CreateSurvey(ctx, &sv); err != nil {
				return Survey{}, err
			}
			return sv, nil
		})
}

// check validates sv and that its unit and campaign exist; a change
// (before not nil) looks up only what it changes.
func (s *Service) check(ctx context.Context, sv Survey, before *Survey) (Survey, error) {
	var p minyi.Problems
	sv, err := sv.Validate()
	if err := archive.AddProblems(&p, "", err); err != nil {
		return Survey{}, err
	}
	var was *register.UnitBranch
	if before != nil {
		was = &register.UnitBranch{Unit: before.Unit}
	}
	if err := register.CheckUnitBranch(ctx, &p, s.Store, "单位", register.UnitBranch{Unit: sv.Unit}, was); err != nil {
		return Survey{}, err
	}
	if before == nil || sv.Campaign != before.Campaign {
		if err := register.CheckCampaign(ctx, &p, s.Store.CampaignExists, sv.Campaign); err != nil {
			return Survey{}, err
		}
	}
	if before != nil && before.Answers > 0 && !SameShape(before.Questions, sv.Questions) {
		p.Add("questions", "问卷已有答卷，只能修改文字，不能增删、调整题目或选项、题型、必答和跳题规则",
			"the questionnaire has answers: only wording may change, not the questions, their order, kinds, options, required flags or rules")
	}
	return sv, p.Err()
}

// Update changes the questionnaire id, last read at version, by p: while it
// has no answers in every way, after that only its wording (SameShape).
func (s *Service) Update(ctx context.Context, staff org.User, id int64, version int, p Patch) (Survey, error) {
	var now time.Time
	before, after, err := register.Change[Survey]{Record: Noun, Version: version,
		Read: func() (Survey, error) { return s.Get(ctx, staff, id) },
		Held: func(sv Survey) (string, int) { return sv.Unit, sv.Version },
		MayFile: func(unit string) error {
			if err := archive.MayFile(staff, "unit", unit); err != nil {
				return err
			}
			return MayEdit(register.ActorFor(staff), unit)
		},
		Apply: p.Apply,
		Check: func(after, before Survey) (Survey, error) {
			now = s.now()
			return s.check(ctx, after, &before)
		},
	}.Run()
	if err != nil {
		return Survey{}, err
	}
	after.UpdatedAt = now
	e, changed := after.Changed(before, staff.Name)
	if !changed {
		return before, nil
	}
	keep := !SameShape(before.Questions, after.Questions)
	if err := s.Store.UpdateSurvey(ctx, &after, version, []eventlog.Event{e}, keep); err != nil {
		return Survey{}, err
	}
	return after, nil
}

// Act takes a lifecycle action on the questionnaire id read at version.
func (s *Service) Act(ctx context.Context, staff org.User, id int64, version int, cmd Command) (Survey, error) {
	if version <= 0 {
		return Survey{}, register.MissingVersion()
	}
	sv, err := s.Get(ctx, staff, id)
	if err != nil {
		return Survey{}, err
	}
	if err := archive.MayFile(staff, "unit", sv.Unit); err != nil {
		return Survey{}, err
	}
	if sv.Version != version {
		return Survey{}, register.Stale(Noun)
	}
	evs, err := Decide(sv, cmd, register.ActorFor(staff), s.now())
	if err != nil {
		return Survey{}, err
	}
	after := sv
	for _, e := range evs {
		after = Apply(after, e)
	}
	if err := s.Store.UpdateSurvey(ctx, &after, version, evs, false); err != nil {
		return Survey{}, err
	}
	return after, nil
}

// Get returns a questionnaire u may see.
func (s *Service) Get(ctx context.Context, u org.User, id int64) (Survey, error) {
	sv, err := s.Store.Survey(ctx, id)
	if err != nil {
		return Survey{}, err
	}
	if err := MaySee(u, sv.Unit); err != nil {
		return Survey{}, err
	}
	return sv, nil
}

// Available reports the lifecycle actions u can take on sv, and whether u
// may edit it, for the pages' buttons.
func (s *Service) Available(u org.User, sv Survey) (map[Action]bool, bool) {
	actor := register.ActorFor(u)
	return Available(sv, actor, s.now()), u.CanFileInto(sv.Unit) && MayEdit(actor, sv.Unit) == nil
}

// List returns a page of the questionnaires u may see that f selects.
func (s *Service) List(ctx context.Context, u org.User, f Filter) (Page, error) {
	if f.Status != "" && !f.Status.Valid() {
		return Page{}, minyi.Invalid("status", "状态无效（draft、published、closed）", "status must be draft, published or closed")
	}
	f.Units = u.VisibleUnits()
	return s.Store.Surveys(ctx, f)
}

// errNoSuchSurvey hides drafts from the public: a draft is nobody's but
// its builders'.
var errNoSuchSurvey = minyi.Errorf(minyi.ENotFound, "没有这份问卷 / no such questionnaire")

// Public returns a published or closed questionnaire, which anyone may
// read and answer; the door shows citizens only Survey.Public of it.
func (s *Service) Public(ctx context.Context, id int64) (Survey, error) {
	sv, err := s.Store.Survey(ctx, id)
	if minyi.ErrorCode(err) == minyi.ENotFound || (err == nil && sv.Status == StatusDraft) {
		return Survey{}, errNoSuchSurvey
	}
	return sv, err
}

// OpenToday reports whether sv takes answers now.
func (s *Service) OpenToday(sv Survey) bool { return sv.OpenOn(day(s.now())) }

// OpenNow returns up to n of the questionnaires that take answers today,
// newest first, as citizens read them, for the citizen's home page. Only
// the 20 newest published are looked at: an older one still open is
// reached through its poster's code.
func (s *Service) OpenNow(ctx context.Context, n int) ([]PublicSurvey, error) {
	page, err := s.Store.Surveys(ctx, Filter{Filter: register.Filter{Limit: 20}, Status: StatusPublished})
	if err != nil {
		return nil, err
	}
	var out []PublicSurvey
	for _, sv := range page.Items {
		if len(out) == n {
			break
		}
		if s.OpenToday(sv) {
			out = append(out, sv.Public())
		}
	}
	return out, nil
}

// Townships lists the townships answers may name: those the bureau's units
// cover, each once, in the units' order.
func (s *Service) Townships(ctx context.Context) ([]string, error) {
	units, err := s.Store.Units(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range units {
		if t := strings.TrimSpace(u.Township); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Answer takes a citizen's answer to the questionnaire id: checked against
// its questions and rules, one per device or phone, within the answers'
// abuse limits (a.Counted), filed once per page form (a.Form).
func (s *Service) Answer(ctx context.Context, id int64, a Answer) (Answer, error) {
	sv, err := s.Public(ctx, id)
	if err != nil {
		return Answer{}, err
	}
	return archive.FileOnce(ctx, s.Store, AnswerRegister, &a.Form, func(aid int64) (Answer, error) {
		got, err := s.Store.Answer(ctx, id, aid)
		return got.Masked(), err
	}, func() (Answer, error) {
		now := s.now()
		if !sv.OpenOn(day(now)) {
			return Answer{}, closedError(sv)
		}
		a, err := sv.Check(a)
		if err != nil {
			return Answer{}, err
		}
		if a.Township != "" {
			towns, err := s.Townships(ctx)
			if err != nil {
				return Answer{}, err
			}
			if !slices.Contains(towns, a.Township) {
				return Answer{}, minyi.Invalid("township", "请从列表中选择乡镇（苏木）", "township must be one of the bureau's townships")
			}
		}
		a.ID, a.Survey, a.CreatedAt, a.Day = 0, id, now, day(now)
		sv.ID = id
		if err := s.Store.CreateAnswer(ctx, sv, &a); err != nil {
			return Answer{}, err
		}
		return a.Masked(), nil
	})
}

// closedError is the refusal of an answer to a questionnaire that takes
// none today.
func closedError(sv Survey) error {
	if sv.Status == StatusPublished && sv.OpensOn != "" {
		return minyi.Errorf(minyi.EIllegal, "问卷未在作答时间内（%s至%s）/ the questionnaire takes answers from %s to %s",
			sv.OpensOn, sv.ClosesOn, sv.OpensOn, sv.ClosesOn)
	}
	return minyi.Errorf(minyi.EIllegal, "问卷已结束，不再收集答卷 / the questionnaire is closed")
}

// Results returns the results of the questionnaire id that u may see, for
// f's township and period: from counters, whatever the number of answers.
func (s *Service) Results(ctx context.Context, u org.User, id int64, f ResultFilter) (Results, error) {
	if err := f.Check(); err != nil {
		return Results{}, err
	}
	sv, err := s.Get(ctx, u, id)
	if err != nil {
		return Results{}, err
	}
	counts, err := s.Store.SurveyCounts(ctx, id, f)
	if err != nil {
		return Results{}, err
	}
	towns, err := s.Store.SurveyTownships(ctx, id, ResultFilter{From: f.From, To: f.To})
	if err != nil {
		return Results{}, err
	}
	var texts []TextAnswer
	if slices.ContainsFunc(sv.Questions, func(q Question) bool { return q.Kind == KindText }) {
		if texts, err = s.Store.SurveyTexts(ctx, id, f, MaxTexts); err != nil {
			return Results{}, err
		}
		for i := range texts {
			texts[i].Text = MaskText(texts[i].Text)
		}
	}
	return Tabulate(sv, f, counts, towns, texts), nil
}

// EachAnswer calls fn with every answer of f that u may see, masked, oldest
// first: the export's raw sheet.
func (s *Service) EachAnswer(ctx context.Context, u org.User, id int64, f ResultFilter, fn func(Answer) error) error {
	if err := f.Check(); err != nil {
		return err
	}
	if _, err := s.Get(ctx, u, id); err != nil {
		return err
	}
	return s.Store.EachAnswer(ctx, id, f, func(a Answer) error { return fn(a.Masked()) })
}

// Conversion is how staff file a free-text answer as an archive item: its
// kind (a suggestion unless said), and optionally its category, concern
// class and title; Dispatch files it into the bureau's dispatch queue (for
// the command centre to send on) instead of the questionnaire's unit.
type Conversion struct {
	Kind     archive.Kind  `json:"kind,omitempty"`
	Category string        `json:"category,omitempty"`
	Class    archive.Class `json:"class,omitempty"`
	Title    string        `json:"title,omitempty"`
	Dispatch bool          `json:"dispatch,omitempty"`
}

// Converted is a free-text answer and the item it became.
type Converted struct {
	Survey   int64  `json:"survey"`
	Answer   int64  `json:"answer"`
	Question string `json:"question"`
	Item     string `json:"item"`
	// Created is false when the answer had become the item before.
	Created bool `json:"created"`
}

// Convert files the free-text answer to question of answer as an archive
// item of the questionnaire's unit or the dispatch queue (channel survey,
// received when it was answered), filed by staff through the archive as any item, and links them
// both ways: the answer notes the item's number, the item's channel detail
// names the questionnaire and the answer. Once only: the answer's own form
// token files the item, so a second click — or two at once — gets the
// first's item and files nothing.
func (s *Service) Convert(ctx context.Context, staff org.User, id, answer int64, question string, c Conversion) (Converted, error) {
	if _, ok := idNumber(question); !ok {
		return Converted{}, minyi.Invalid("question", "题目编号应为q加数字", "question must be a question id: q and a number")
	}
	sv, err := s.Get(ctx, staff, id)
	if err != nil {
		return Converted{}, err
	}
	if err := archive.MayFile(staff, "unit", sv.Unit); err != nil {
		return Converted{}, err
	}
	if err := MayEdit(register.ActorFor(staff), sv.Unit); err != nil {
		return Converted{}, err
	}
	t, err := s.Store.SurveyText(ctx, id, answer, question)
	if err != nil {
		return Converted{}, err
	}
	out := Converted{Survey: id, Answer: answer, Question: t.Question, Item: t.Item}
	if t.Item != "" {
		return out, nil
	}
	if c.Kind == "" {
		c.Kind = archive.KindSuggestion
	}
	now := s.now()
	received := t.At
	if earliest := s.Items.Policy().EarliestCollection(now); received.Before(earliest) {
		// An answer older than the archive lets staff back-date is
		// received as of the earliest day it allows.
		received = earliest
	}
	contact := archive.Contact{Anonymous: true}
	if t.Phone != "" {
		contact = archive.Contact{Phone: t.Phone}
	} else if phone := typedMobile(t.Text); phone != "" {
		// A mobile number typed into the answer ("请打我电话…") is how the
		// citizen asked to be called back: the item's contact, masked to
		// staff and revealed only as a recorded look, as any item's.
		contact = archive.Contact{Phone: phone}
	}
	unit := sv.Unit
	if c.Dispatch {
		unit = ""
	}
	sub := archive.Submission{Kind: c.Kind, Channel: archive.ChannelSurvey, Category: c.Category, Class: c.Class, Unit: unit,
		Title: c.Title, Text: MaskText(t.Text), Contact: contact, Location: archive.Location{Township: t.Township},
		ChannelDetail: Source(sv, answer, question), ReceivedAt: &received, FormToken: t.Token}
	it, _, err := s.Items.Submit(ctx, &staff, sub)
	if err != nil {
		return Converted{}, err
	}
	e := sv.event(EventConverted, staff.Name, now, map[string]string{"answer": strconv.FormatInt(answer, 10),
		"question": t.Question, "item": it.Number})
	linked, err := s.Store.LinkItem(ctx, id, answer, t.Question, it.Number, e)
	if err != nil {
		return Converted{}, err
	}
	out.Item, out.Created = linked, linked == it.Number
	return out, nil
}

// typedMobile is the first mainland mobile number (11 digits from 1) that
// text holds as personal data, "" when none. The item made of an answer
// keeps it as its contact, while its text, as the results and exports,
// shows phone and ID numbers as **** (MaskText): staff and partners read
// items' texts in full, and the questionnaire promised no more exposure
// than its results give.
func typedMobile(text string) string {
	for _, sp := range archive.PersonalData(text, archive.Contact{}, archive.Location{}) {
		if sp.Kind == archive.FoundPhone && len(sp.Text) == 11 && sp.Text[0] == '1' && strings.Trim(sp.Text, "0123456789") == "" {
			return sp.Text
		}
	}
	return ""
}

// Source is an item's channel detail naming the answer it came from:
// 问卷12《title》答卷345第3题; cut to the archive's limit.
func Source(sv Survey, answer int64, question string) string {
	tail := "》答卷" + strconv.FormatInt(answer, 10) + "第" + strconv.Itoa(sv.Number(question)) + "题"
	head := "问卷" + strconv.FormatInt(sv.ID, 10) + "《"
	title := []rune(sv.Title)
	if room := archive.MaxDetailRunes - len([]rune(head+tail)); len(title) > room {
		title = title[:room]
	}
	return head + string(title) + tail
}

// The questionnaires are a reporting.Source.
var _ reporting.Source = (*Service)(nil)

// Register names the register to reporting, as in the event log.
func (s *Service) Register() string { return Register }

// Figures answers reporting for f's period and units: answers (received in
// the period by the units' questionnaires), published (questionnaires
// published in the period) and items_created (free-text answers turned
// into items in the period).
func (s *Service) Figures(ctx context.Context, f reporting.Filter) (reporting.Figures, error) {
	return s.Store.SurveyFigures(ctx, f)
}

// AnswersIn counts the answers received from f.From to f.To (YYYY-MM-DD,
// inclusive) to the questionnaires of f's unit and campaign that u may
// see, from the counters, as the report counts surveys.answers; another
// unit's is forbidden.
func (s *Service) AnswersIn(ctx context.Context, u org.User, f reporting.Filter) (int64, error) {
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			p.Add(d.field, d.field+"须为YYYY-MM-DD格式的日期", d.field+" must be a date YYYY-MM-DD")
		}
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	if f.Unit != "" && !u.CanSeeUnit(f.Unit) {
		return 0, minyi.Errorf(minyi.EForbidden, "无权查看该单位的问卷 / you may not see this unit's questionnaires")
	}
	f.Units = u.VisibleUnits()
	figs, err := s.Store.SurveyFigures(ctx, f)
	return figs["answers"], err
}

// AnswersOf sums the answers received from from to to (YYYY-MM-DD,
// inclusive; both required, as AnswersIn's) to each questionnaire of ids
// that u may see, from the counters AnswersIn adds up: a questionnaire's
// part of the report's surveys.answers. One u may not see, or without
// answers in the period, is left out.
func (s *Service) AnswersOf(ctx context.Context, u org.User, ids []int64, from, to string) (map[int64]int64, error) {
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"from", from}, {"to", to}} {
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			p.Add(d.field, d.field+"须为YYYY-MM-DD格式的日期", d.field+" must be a date YYYY-MM-DD")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.Store.SurveyAnswersOf(ctx, reporting.Filter{From: from, To: to, Units: u.VisibleUnits()}, ids)
}

// Export returns the workbook's sheets of the questionnaire id for u and
// f, as rows of text: the summary (the results: answers, each option's
// count and share, each scale's distribution and mean) and every answer
// (masked), one row each, a column per question.
func (s *Service) Export(ctx context.Context, u org.User, id int64, f ResultFilter) (title string, summary, raw [][]string, err error) {
	r, err := s.Results(ctx, u, id, f)
	if err != nil {
		return "", nil, nil, err
	}
	sv, err := s.Get(ctx, u, id)
	if err != nil {
		return "", nil, nil, err
	}
	period := f.From + "—" + f.To
	if f.From == "" && f.To == "" {
		period = "全部"
	}
	town := f.Township
	if town == "" {
		town = "全部"
	}
	summary = [][]string{{"问卷", sv.Title}, {"乡镇（苏木）", town}, {"时段", period}, {"答卷数", strconv.FormatInt(r.Answers, 10)}, {}}
	summary = append(summary, []string{"题号", "题目", "选项", "人数", "占比（%）"})
	for _, q := range r.Questions {
		head := []string{strconv.Itoa(q.Number), q.Text}
		switch q.Kind {
		case KindText:
			summary = append(summary, append(head, "（文字作答）", strconv.FormatInt(q.Answered, 10), ""))
		default:
			for _, o := range q.Options {
				label := o.Label
				if q.Kind == KindScale {
					label += "分"
				}
				summary = append(summary, append(slices.Clone(head), label, strconv.FormatInt(o.Count, 10), strconv.FormatFloat(o.Percent, 'f', 1, 64)))
			}
			if q.Kind == KindScale {
				summary = append(summary, append(head, "平均分", strconv.FormatFloat(q.Mean, 'f', 2, 64), ""))
			}
		}
	}
	header := []string{"答卷编号", "日期", "乡镇（苏木）", "电话"}
	for i, q := range sv.Questions {
		header = append(header, strconv.Itoa(i+1)+". "+q.Text)
	}
	raw = [][]string{header}
	err = s.EachAnswer(ctx, u, id, f, func(a Answer) error {
		row := []string{strconv.FormatInt(a.ID, 10), a.Day, a.Township, a.Phone}
		for _, q := range sv.Questions {
			row = append(row, cell(q, a.Answers[q.ID]))
		}
		raw = append(raw, row)
		return nil
	})
	return sv.Title, summary, raw, err
}

// cell writes one value in the raw sheet: the chosen options' labels, the
// scale's value, or the text.
func cell(q Question, v Value) string {
	switch {
	case len(v.Choices) > 0:
		labels := make([]string, 0, len(v.Choices))
		for _, c := range v.Choices {
			if c >= 1 && c <= len(q.Options) {
				labels = append(labels, q.Options[c-1].Label)
			}
		}
		return strings.Join(labels, "；")
	case v.Scale != 0:
		return strconv.Itoa(v.Scale)
	}
	return v.Text
}
