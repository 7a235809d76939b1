// Package survey is the register of questionnaires (调查问卷): staff build a
// questionnaire of ordered questions (single choice, multiple choice, a 1–5
// scale, free text) with simple skip rules, publish it by link and QR
// poster, citizens answer it without an account (one answer per device, or
// per phone when they give one), and staff read its results by township
// and period from counters kept with every answer. A free-text answer
// becomes an archive item (channel survey) once, linked both ways.
//
// The one rule on changing questions: while a questionnaire has no answer
// its questions may change in every way; once it has one, only safe edits
// are allowed — the wording of the title, the introduction, a question's
// text and an option's label, and the dates — never what an answer is
// counted by (the questions, their order, kinds, options, required flags
// and skip rules), or the counters would mean something else than what
// was answered.
package survey

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
)

// Register is the questionnaires' name in the event log.
const Register = "surveys"

// AnswerRegister is the register a page form of an answer files into
// (archive.FileOnce): the record is the answer's id.
const AnswerRegister = "survey_answers"

// Noun names a questionnaire in the register's messages.
var Noun = register.Noun{Zh: "调查问卷", En: "questionnaire"}

// The types of a questionnaire's events.
const (
	EventCreated   = "created"
	EventChanged   = "changed"
	EventPublished = "published"
	EventClosed    = "closed"
	// EventAnswered is one answer received (its id and township, never
	// what was answered: that is in the answer's row).
	EventAnswered = "answered"
	// EventConverted is a free-text answer turned into an archive item.
	EventConverted = "converted"
)

// Limits on a questionnaire and its answers.
const (
	MaxTitleRunes    = 100
	MaxIntroRunes    = 2000
	MaxQuestions     = 50
	MaxQuestionRunes = 300
	MinOptions       = 2
	MaxOptions       = 20
	MaxOptionRunes   = 100
	MaxTextRunes     = 1000 // a free-text answer
	ScaleMin         = 1
	ScaleMax         = 5
	dayLayout        = "2006-01-02"
	// SkipEnd as an option's skip_to ends the questionnaire.
	SkipEnd = "end"
)

// Kind is what a question asks for.
type Kind string

// The kinds of question.
const (
	KindSingle   Kind = "single"   // 单选
	KindMultiple Kind = "multiple" // 多选
	KindScale    Kind = "scale"    // 1–5 分
	KindText     Kind = "text"     // 填空（文字）
)

// Kinds lists the kinds of question, in the order the builder offers them.
var Kinds = []Kind{KindSingle, KindMultiple, KindScale, KindText}

// Valid reports whether k is a kind of question.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Choice reports whether the question is answered by choosing options.
func (k Kind) Choice() bool { return k == KindSingle || k == KindMultiple }

// Status is where a questionnaire is in its life.
type Status string

// The statuses of a questionnaire: built as a draft, published (answers
// are taken between its dates), closed (no more answers).
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusClosed    Status = "closed"
)

// Statuses lists the statuses in lifecycle order.
var Statuses = []Status{StatusDraft, StatusPublished, StatusClosed}

// Valid reports whether s is a status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Terminal reports whether nothing more happens in s.
func (s Status) Terminal() bool { return s == StatusClosed }

// Label is the status's Chinese name, for refusals.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusPublished:
		return "已发布"
	case StatusClosed:
		return "已结束"
	}
	return string(s)
}

// Option is one answer a choice question offers.
type Option struct {
	Label string `json:"label"`
	// SkipTo is a skip rule of a single-choice question: whoever chooses
	// this option goes on at the question of that id (a later one), or
	// ends the questionnaire (SkipEnd); the questions between are skipped.
	SkipTo string `json:"skip_to,omitempty"`
}

// Condition is a "show only if" rule: the question is asked only when the
// earlier question Question was answered with one of Options (option
// numbers from 1, or scale values).
type Condition struct {
	Question string `json:"question"`
	Options  []int  `json:"options"`
}

// Question is one question of a questionnaire.
type Question struct {
	// ID names the question for good ("q1", "q2", …): answers, counters
	// and rules refer to it, so reordering questions keeps them apart. The
	// service gives a new question the next free id.
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Text     string   `json:"text"`
	Required bool     `json:"required"`
	Options  []Option `json:"options,omitempty"`
	// MaxChoices bounds how many options a multiple-choice answer may
	// choose; 0 is any number.
	MaxChoices int        `json:"max_choices,omitempty"`
	ShowIf     *Condition `json:"show_if,omitempty"`
}

// Number is the question's position from 1 in s, as citizens read it; 0
// when s has no such question.
func (s Survey) Number(id string) int {
	for i, q := range s.Questions {
		if q.ID == id {
			return i + 1
		}
	}
	return 0
}

// Survey is one questionnaire.
type Survey struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Intro string `json:"intro,omitempty"`
	Unit  string `json:"unit"`
	// Campaign is the campaign the questionnaire belongs to; 0: none.
	Campaign int64 `json:"campaign,omitempty"`
	// OpensOn and ClosesOn bound the days answers are taken (YYYY-MM-DD,
	// China time), each optional; a published questionnaire outside them
	// takes none.
	OpensOn   string     `json:"opens_on,omitempty"`
	ClosesOn  string     `json:"closes_on,omitempty"`
	Status    Status     `json:"status"`
	Questions []Question `json:"questions"`
	// Answers is how many answers it has received.
	Answers     int64     `json:"answers"`
	PublishedOn string    `json:"published_on,omitempty"`
	ClosedOn    string    `json:"closed_on,omitempty"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`
	archive.Form
}

// PublicSurvey is a questionnaire as citizens read it: what it asks, and
// when; not who built it nor how many answered.
type PublicSurvey struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Intro     string     `json:"intro,omitempty"`
	OpensOn   string     `json:"opens_on,omitempty"`
	ClosesOn  string     `json:"closes_on,omitempty"`
	Status    Status     `json:"status"`
	Questions []Question `json:"questions"`
}

// Public returns s as citizens read it.
func (s Survey) Public() PublicSurvey {
	return PublicSurvey{ID: s.ID, Title: s.Title, Intro: s.Intro, OpensOn: s.OpensOn, ClosesOn: s.ClosesOn, Status: s.Status, Questions: s.Questions}
}

// SearchText is what a search by words finds a questionnaire by.
func (s Survey) SearchText() string { return s.Title + "\n" + s.Intro }

// Question returns the question of that id.
func (s Survey) Question(id string) (Question, bool) {
	for _, q := range s.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

// OpenOn reports whether the questionnaire takes answers on day
// (YYYY-MM-DD): published, and day within its dates.
func (s Survey) OpenOn(day string) bool {
	return s.Status == StatusPublished && (s.OpensOn == "" || day >= s.OpensOn) && (s.ClosesOn == "" || day <= s.ClosesOn)
}

// Filter selects questionnaires for a list.
type Filter struct {
	register.Filter
	Units    []string // visibility: only these units' (nil: all)
	Unit     string
	Status   Status
	Campaign int64
}

// Page is one page of questionnaires, newest first.
type Page = register.Page[Survey]

// Patch is a change to a questionnaire: nil fields stay as they are.
type Patch struct {
	Title     *string     `json:"title"`
	Intro     *string     `json:"intro"`
	Unit      *string     `json:"unit"`
	Campaign  *int64      `json:"campaign"`
	OpensOn   *string     `json:"opens_on"`
	ClosesOn  *string     `json:"closes_on"`
	Questions *[]Question `json:"questions"`
}

// Apply returns s with p's fields set.
func (p Patch) Apply(s Survey) Survey {
	register.SetIf(&s.Title, p.Title)
	register.SetIf(&s.Intro, p.Intro)
	register.SetIf(&s.Unit, p.Unit)
	register.SetIf(&s.Campaign, p.Campaign)
	register.SetIf(&s.OpensOn, p.OpensOn)
	register.SetIf(&s.ClosesOn, p.ClosesOn)
	if p.Questions != nil {
		s.Questions = cloneQuestions(*p.Questions)
	}
	return s
}

func cloneQuestions(qs []Question) []Question {
	out := make([]Question, len(qs))
	for i, q := range qs {
		q.Options = slices.Clone(q.Options)
		if q.ShowIf != nil {
			c := *q.ShowIf
			c.Options = slices.Clone(c.Options)
			q.ShowIf = &c
		}
		out[i] = q
	}
	return out
}

// qField names question i's field in refusals as a JSON path from 0:
// questions[2].text is the third question's text.
func qField(i int, sub string) string {
	f := "questions[" + strconv.Itoa(i) + "]"
	if sub != "" {
		f += "." + sub
	}
	return f
}

func qZh(i int) string { return "第" + strconv.Itoa(i+1) + "题" }

// Validate checks a questionnaire and returns it cleaned: texts trimmed,
// new questions given their ids. That its unit and campaign exist is the
// Service's to check.
func (s Survey) Validate() (Survey, error) {
	var p minyi.Problems
	s.Title = archive.CheckNamedText(&p, "title", "标题", s.Title, MaxTitleRunes, true)
	s.Intro = archive.CheckNamedText(&p, "intro", "说明", s.Intro, MaxIntroRunes, false)
	s.Unit = strings.TrimSpace(s.Unit)
	if s.Unit == "" {
		p.Add("unit", "请选择单位", "unit is required")
	}
	if s.Campaign < 0 {
		p.Add("campaign", "专项行动编号无效", "campaign must be a campaign id")
	}
	s.OpensOn = checkDay(&p, "opens_on", "开始日期", s.OpensOn)
	s.ClosesOn = checkDay(&p, "closes_on", "截止日期", s.ClosesOn)
	if s.OpensOn != "" && s.ClosesOn != "" && s.ClosesOn < s.OpensOn {
		p.Add("closes_on", "截止日期不能早于开始日期", "closes_on cannot be before opens_on")
	}
	s.Questions = checkQuestions(&p, cloneQuestions(s.Questions))
	if s.Questions == nil {
		s.Questions = []Question{}
	}
	return s, p.Err()
}

func checkDay(p *minyi.Problems, field, zh, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if d, err := time.ParseInLocation(dayLayout, s, calendar.Zone); err != nil || d.Year() < 2000 {
		p.Add(field, zh+"格式应为YYYY-MM-DD", field+" must be a day, YYYY-MM-DD")
	}
	return s
}

// checkQuestions validates the questions in order, giving those without an
// id the next free one, and their rules: a skip goes forward to a question
// that exists (or to the end) and only from a single-choice question; a
// "show only if" looks back at an earlier choice or scale question.
func checkQuestions(p *minyi.Problems, qs []Question) []Question {
	if len(qs) > MaxQuestions {
		p.Add("questions", "最多"+strconv.Itoa(MaxQuestions)+"道题", "at most "+strconv.Itoa(MaxQuestions)+" questions")
		return qs
	}
	next := 0
	for _, q := range qs {
		if n, ok := idNumber(q.ID); ok && n > next {
			next = n
		}
	}
	pos := map[string]int{}
	for i := range qs {
		q := &qs[i]
		q.ID = strings.TrimSpace(q.ID)
		if q.ID == "" {
			next++
			q.ID = "q" + strconv.Itoa(next)
		} else if _, ok := idNumber(q.ID); !ok {
			p.Add(qField(i, "id"), qZh(i)+"编号应为q加数字", "a question id is q and a number")
		}
		if _, dup := pos[q.ID]; dup {
			p.Add(qField(i, "id"), qZh(i)+"编号重复", "question ids must differ")
		}
		pos[q.ID] = i
	}
	for i := range qs {
		q := &qs[i]
		q.Text = archive.CheckNamedText(p, qField(i, "text"), qZh(i)+"题目", q.Text, MaxQuestionRunes, true)
		if !q.Kind.Valid() {
			p.Add(qField(i, "kind"), qZh(i)+"题型无效（单选、多选、打分、填空）", "kind must be single, multiple, scale or text")
			continue
		}
		if q.Kind.Choice() {
			if len(q.Options) < MinOptions || len(q.Options) > MaxOptions {
				p.Add(qField(i, "options"), qZh(i)+"须有"+strconv.Itoa(MinOptions)+"–"+strconv.Itoa(MaxOptions)+"个选项",
					"a choice question has "+strconv.Itoa(MinOptions)+"–"+strconv.Itoa(MaxOptions)+" options")
			}
			for j := range q.Options {
				o := &q.Options[j]
				field := qField(i, "options["+strconv.Itoa(j)+"]")
				o.Label = archive.CheckNamedText(p, field+".label", qZh(i)+"选项"+strconv.Itoa(j+1), o.Label, MaxOptionRunes, true)
				o.SkipTo = strings.TrimSpace(o.SkipTo)
				if o.SkipTo == "" {
					continue
				}
				if q.Kind != KindSingle {
					p.Add(field+".skip_to", qZh(i)+"只有单选题可以设置跳题", "only a single-choice question skips")
				} else if to, ok := pos[o.SkipTo]; o.SkipTo != SkipEnd && (!ok || to <= i) {
					p.Add(field+".skip_to", qZh(i)+"选项"+strconv.Itoa(j+1)+"只能跳到后面的题目或结束",
						"skip_to must be a later question, or end")
				}
			}
			if q.MaxChoices < 0 || q.MaxChoices > len(q.Options) || (q.MaxChoices != 0 && q.Kind != KindMultiple) {
				p.Add(qField(i, "max_choices"), qZh(i)+"最多可选项数无效", "max_choices must be 0 or at most the options, on a multiple-choice question")
			}
		} else if len(q.Options) > 0 || q.MaxChoices != 0 {
			p.Add(qField(i, "options"), qZh(i)+"打分题和填空题没有选项", "scale and text questions have no options")
		}
		if c := q.ShowIf; c != nil {
			from, ok := pos[strings.TrimSpace(c.Question)]
			c.Question = strings.TrimSpace(c.Question)
			switch {
			case !ok || from >= i:
				p.Add(qField(i, "show_if"), qZh(i)+"显示条件只能引用前面的题目", "show_if must name an earlier question")
			case qs[from].Kind == KindText:
				p.Add(qField(i, "show_if"), qZh(i)+"显示条件不能引用填空题", "show_if cannot name a text question")
			case len(c.Options) == 0:
				p.Add(qField(i, "show_if"), qZh(i)+"显示条件须选定选项", "show_if needs options")
			default:
				limit := len(qs[from].Options)
				if qs[from].Kind == KindScale {
					limit = ScaleMax
				}
				for _, o := range c.Options {
					if o < 1 || o > limit {
						p.Add(qField(i, "show_if"), qZh(i)+"显示条件的选项不存在", "show_if names an option that does not exist")
						break
					}
				}
			}
		}
	}
	return qs
}

func idNumber(id string) (int, bool) {
	if !strings.HasPrefix(id, "q") {
		return 0, false
	}
	n, err := strconv.Atoi(id[1:])
	return n, err == nil && n > 0 && id[1] != '0'
}

// SameShape reports whether after asks what before asked: the same
// questions in the same order, of the same kinds, with as many options,
// the same required flags and rules. Texts and labels may differ: that is
// the safe edit a questionnaire with answers allows.
func SameShape(before, after []Question) bool {
	if len(before) != len(after) {
		return false
	}
	for i := range before {
		a, b := before[i], after[i]
		if a.ID != b.ID || a.Kind != b.Kind || a.Required != b.Required || a.MaxChoices != b.MaxChoices ||
			len(a.Options) != len(b.Options) || (a.ShowIf == nil) != (b.ShowIf == nil) {
			return false
		}
		if a.ShowIf != nil && (a.ShowIf.Question != b.ShowIf.Question || !slices.Equal(a.ShowIf.Options, b.ShowIf.Options)) {
			return false
		}
		for j := range a.Options {
			if a.Options[j].SkipTo != b.Options[j].SkipTo {
				return false
			}
		}
	}
	return true
}

// fieldKeys are the keys of fields, in the order a change names them.
var fieldKeys = []string{"title", "intro", "unit", "campaign", "opens_on", "closes_on", "questions"}

func (s Survey) fields() map[string]string {
	campaign := ""
	if s.Campaign != 0 {
		campaign = strconv.FormatInt(s.Campaign, 10)
	}
	return map[string]string{"title": s.Title, "intro": s.Intro, "unit": s.Unit, "campaign": campaign,
		"opens_on": s.OpensOn, "closes_on": s.ClosesOn, "questions": questionsDigest(s.Questions)}
}

// questionsDigest writes the questions in one line for the log: their ids,
// kinds and texts, so that a change of wording is seen in the log too.
func questionsDigest(qs []Question) string {
	var b strings.Builder
	for i, q := range qs {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(q.ID + ":" + string(q.Kind) + ":" + q.Text)
		for _, o := range q.Options {
			b.WriteString(" / " + o.Label)
			if o.SkipTo != "" {
				b.WriteString("→" + o.SkipTo)
			}
		}
		if q.Required {
			b.WriteString(" *")
		}
		if c := q.ShowIf; c != nil {
			b.WriteString(" if " + c.Question + "=")
			for j, o := range c.Options {
				if j > 0 {
					b.WriteString(",")
				}
				b.WriteString(strconv.Itoa(o))
			}
		}
	}
	return b.String()
}

func (s Survey) event(typ, actor string, at time.Time, data map[string]string) eventlog.Event {
	return eventlog.Event{Register: Register, RecordID: s.ID, Record: strconv.FormatInt(s.ID, 10),
		Type: typ, Actor: actor, At: at, Data: data, From: string(s.Status), To: string(s.Status)}
}

// Created returns the log's event of a stored questionnaire (ID assigned).
func (s Survey) Created() eventlog.Event {
	return s.event(EventCreated, s.CreatedBy, s.CreatedAt, s.fields())
}

// Changed returns the log's event of the change from before to s, made by
// actor at s.UpdatedAt; ok is false when nothing changed.
func (s Survey) Changed(before Survey, actor string) (e eventlog.Event, ok bool) {
	data, changed := register.ChangedFields(s.fields(), before.fields(), fieldKeys...)
	if len(changed) == 0 {
		return eventlog.Event{}, false
	}
	return s.event(EventChanged, actor, s.UpdatedAt, data), true
}
