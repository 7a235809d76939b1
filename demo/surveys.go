package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"minyi/archive"
	"minyi/org"
	"minyi/survey"
)

// The seed's questionnaire: the command centre's 2021 “我为群众办实事”
// questionnaire, answered in three rounds (April, June, September) by
// citizens across the townships. Its written answers are the opinions the
// seed counts as collected by questionnaire (调查问卷, one of the channels
// of the 60 opinions): each is filed by turning its answer into an item,
// so those opinions come from answers and are not counted twice.

// SurveyAnswers is how many answers the demo's questionnaire receives.
const SurveyAnswers = 320

// SurveyTitle is the demo questionnaire's title.
const SurveyTitle = "“我为群众办实事”群众意见征集问卷（2021年）"

// surveyQuestions are the demo questionnaire's questions; q6 is the
// written opinion.
var surveyQuestions = []survey.Question{
	{ID: "q1", Kind: survey.KindSingle, Text: "您近一年是否到公安机关办过事？", Required: true,
		Options: []survey.Option{{Label: "办过"}, {Label: "没办过", SkipTo: "q4"}}},
	{ID: "q2", Kind: survey.KindMultiple, Text: "您办过哪些业务？（可多选）", MaxChoices: 3,
		Options: []survey.Option{{Label: "户籍"}, {Label: "身份证"}, {Label: "交通管理"}, {Label: "出入境"}, {Label: "其他"}}},
	{ID: "q3", Kind: survey.KindScale, Text: "请为办事体验打分（1–5分）", Required: true},
	{ID: "q4", Kind: survey.KindSingle, Text: "您对所在地的治安状况是否满意？", Required: true,
		Options: []survey.Option{{Label: "满意"}, {Label: "基本满意"}, {Label: "不满意"}}},
	{ID: "q5", Kind: survey.KindScale, Text: "请为“我为群众办实事”实践活动总体打分（1–5分）"},
	{ID: "q6", Kind: survey.KindText, Text: "您对公安工作还有哪些意见建议？"},
}

// surveyRounds are the rounds the questionnaire was handed out in: the
// answers of a round come in over the two weeks before its day, when the
// command centre collects them (the archive's survey slots).
var surveyRounds = []time.Time{date(4, 16), date(6, 25), date(9, 17)}

// surveyPart publishes the questionnaire at the start of April, plans its
// answers onto the timeline and files the questionnaire's opinions by
// turning their answers into items.
type surveyPart struct{}

func (surveyPart) Name() string { return "surveys" }

// surveySeed sets the questionnaire's stream of choices apart from the
// loader's, as the disputes' (disputeSeed).
const surveySeed = 38

func (surveyPart) Load(_ context.Context, l *Loader) error {
	// The answers draw from a stream of their own: the parts before do not
	// move them, and the parts after draw as they did.
	shared := l.Rand
	l.Rand = rand.New(rand.NewPCG(seedHi, seedLo+surveySeed))
	defer func() { l.Rand = shared }()
	svc := &survey.Service{Store: l.Env.Store, Items: l.Archive, Now: l.Now}
	officer, ok := l.Staff(UnitCommand, org.RoleOfficer)
	if !ok {
		return fmt.Errorf("no officer of %s", UnitCommand)
	}
	sp := &surveyPlan{l: l, svc: svc, officer: officer}
	opened := date(4, 1).Add(9 * time.Hour)
	l.At(opened, sp.publish)
	var opinions []*story
	if l.archive != nil {
		for _, s := range l.archive.opinions {
			if s.sub.Channel == archive.ChannelSurvey {
				opinions = append(opinions, s)
			}
		}
	}
	if len(opinions) >= SurveyAnswers {
		return fmt.Errorf("%d questionnaire opinions, more than the %d answers", len(opinions), SurveyAnswers)
	}
	phones := map[string]bool{}
	for _, s := range opinions {
		sp.opinion(s, phones)
	}
	for i := len(opinions); i < SurveyAnswers; i++ {
		round := surveyRounds[i%len(surveyRounds)]
		at := l.OfficeTime(l.WorkingDay(round.AddDate(0, 0, -14), round.AddDate(0, 0, -1)))
		sp.answer(at, sp.values(""), pick(l, townships), "")
	}
	l.At(date(10, 29).Add(18*time.Hour), sp.close)
	return nil
}

type surveyPlan struct {
	l       *Loader
	svc     *survey.Service
	officer org.User
	sv      survey.Survey
	n       int // answers planned, for their devices
}

func (sp *surveyPlan) publish(ctx context.Context) error {
	sv, err := sp.svc.Create(ctx, sp.officer, survey.Survey{Title: SurveyTitle, Unit: UnitCommand,
		Intro:   "为深入开展“我为群众办实事”实践活动，鄂托克旗公安局广泛征求群众意见建议。问卷不记名，约需3分钟，感谢您的支持！",
		OpensOn: "2021-04-01", ClosesOn: "2021-10-29", Questions: slices.Clone(surveyQuestions)})
	if err != nil {
		return fmt.Errorf("questionnaire: %w", err)
	}
	if sp.sv, err = sp.svc.Act(ctx, sp.officer, sv.ID, sv.Version, survey.Command{Action: survey.ActPublish}); err != nil {
		return fmt.Errorf("publish the questionnaire: %w", err)
	}
	return nil
}

func (sp *surveyPlan) close(ctx context.Context) error {
	sv, err := sp.svc.Get(ctx, sp.officer, sp.sv.ID)
	if err == nil {
		sp.sv, err = sp.svc.Act(ctx, sp.officer, sv.ID, sv.Version, survey.Command{Action: survey.ActClose})
	}
	return err
}

// values draws one citizen's answers, with text as the written opinion:
// most have been to a station, and most are satisfied.
func (sp *surveyPlan) values(text string) map[string]survey.Value {
	l := sp.l
	vs := map[string]survey.Value{}
	scale := func() int {
		switch r := l.Rand.Float64(); {
		case r < 0.55:
			return 5
		case r < 0.85:
			return 4
		case r < 0.95:
			return 3
		}
		return 2
	}
	if l.Chance(0.75) {
		vs["q1"] = survey.Value{Choices: []int{1}}
		kinds := shuffled(l, []int{1, 2, 3, 4, 5})[:1+l.Rand.IntN(3)]
		slices.Sort(kinds)
		vs["q2"] = survey.Value{Choices: kinds}
		vs["q3"] = survey.Value{Scale: scale()}
	} else {
		vs["q1"] = survey.Value{Choices: []int{2}}
	}
	switch r := l.Rand.Float64(); {
	case r < 0.7:
		vs["q4"] = survey.Value{Choices: []int{1}}
	case r < 0.95:
		vs["q4"] = survey.Value{Choices: []int{2}}
	default:
		vs["q4"] = survey.Value{Choices: []int{3}}
	}
	if l.Chance(0.8) {
		vs["q5"] = survey.Value{Scale: scale()}
	}
	if text != "" {
		vs["q6"] = survey.Value{Text: text}
	}
	return vs
}

// answer plans an answer at at; its id is set once written (into *id when
// not nil).
func (sp *surveyPlan) answer(at time.Time, vs map[string]survey.Value, town, phone string) *int64 {
	sp.n++
	id := new(int64)
	a := survey.Answer{DeviceToken: fmt.Sprintf("demo-survey-device-%06d", sp.n), Township: town, Phone: phone, Answers: vs}
	sp.l.At(at, func(ctx context.Context) error {
		got, err := sp.svc.Answer(ctx, sp.sv.ID, a)
		if err != nil {
			return fmt.Errorf("answer %s: %w", a.DeviceToken, err)
		}
		*id = got.ID
		return nil
	})
	return id
}

// opinion plans the answer that carries a questionnaire opinion, answered
// when the story says it was received, and files the story's item by
// turning that answer into an item, as the command centre's officer does
// when typing the round in.
func (sp *surveyPlan) opinion(s *story, phones map[string]bool) {
	received := s.entered
	if s.sub.ReceivedAt != nil {
		received = *s.sub.ReceivedAt
	}
	phone := s.sub.Contact.Phone
	if phones[phone] {
		phone = "" // one answer per phone: a second opinion from it came on another device
	}
	phones[phone] = phone != ""
	id := sp.answer(received, sp.values(s.sub.Text), s.sub.Location.Township, phone)
	sub := s.sub
	s.fileVia = func(ctx context.Context, staff org.User) (archive.Item, error) {
		c, err := sp.svc.Convert(ctx, staff, sp.sv.ID, *id, "q6", survey.Conversion{Kind: sub.Kind, Category: sub.Category,
			Class: sub.Class, Title: sub.Title, Dispatch: sub.Unit == ""})
		if err != nil {
			return archive.Item{}, fmt.Errorf("turn answer %d into an item: %w", *id, err)
		}
		// The leader reads it: an item in the dispatch queue is no unit's yet.
		leader, err := sp.l.User("leader")
		if err != nil {
			return archive.Item{}, err
		}
		v, err := sp.l.Archive.Get(ctx, leader, c.Item)
		return v.Item, err
	}
}
