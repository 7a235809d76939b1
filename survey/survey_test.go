package survey

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/register"
)

// sample is a published questionnaire: q1 single (option 2 skips to q4),
// q2 multiple (at most 2), q3 scale shown only if q1 was option 1, q4 text.
func sample() Survey {
	return Survey{ID: 7, Title: "群众意见征集问卷", Unit: "a", Status: StatusPublished, Questions: []Question{
		{ID: "q1", Kind: KindSingle, Text: "您是否到派出所办过事？", Required: true,
			Options: []Option{{Label: "是"}, {Label: "否", SkipTo: "q4"}}},
		{ID: "q2", Kind: KindMultiple, Text: "办过哪些业务？", MaxChoices: 2,
			Options: []Option{{Label: "户籍"}, {Label: "身份证"}, {Label: "出入境"}}},
		{ID: "q3", Kind: KindScale, Text: "满意程度", Required: true, ShowIf: &Condition{Question: "q1", Options: []int{1}}},
		{ID: "q4", Kind: KindText, Text: "您的意见建议"},
	}}
}

const device = "device-token-0123456789"

// vals are the answers vs by their questions.
func vals(vs ...Value) map[string]Value {
	out := map[string]Value{}
	for _, v := range vs {
		out[v.Question] = v
	}
	return out
}

func TestCheckAnswer(t *testing.T) {
	s := sample()
	cases := []struct {
		name   string
		values []Value
		field  string   // the refusal's field; "" accepted
		kept   []string // the questions kept, in order
	}{
		{"all answered", []Value{{Question: "q1", Choices: []int{1}}, {Question: "q2", Choices: []int{1, 3}},
			{Question: "q3", Scale: 4}, {Question: "q4", Text: " 希望延长办证时间 "}}, "", []string{"q1", "q2", "q3", "q4"}},
		{"skip drops the skipped", []Value{{Question: "q1", Choices: []int{2}}, {Question: "q2", Choices: []int{1}},
			{Question: "q3", Scale: 9}, {Question: "q4", Text: "好"}}, "", []string{"q1", "q4"}},
		{"required scale shown", []Value{{Question: "q1", Choices: []int{1}}}, "answers.q3", nil},
		{"required first", []Value{{Question: "q4", Text: "x"}}, "answers.q1", nil},
		{"two singles", []Value{{Question: "q1", Choices: []int{1, 2}}}, "answers.q1", nil},
		{"too many choices", []Value{{Question: "q1", Choices: []int{1}}, {Question: "q2", Choices: []int{1, 2, 3}}, {Question: "q3", Scale: 3}}, "answers.q2", nil},
		{"no such option", []Value{{Question: "q1", Choices: []int{3}}}, "answers.q1", nil},
		{"repeated option", []Value{{Question: "q1", Choices: []int{1}}, {Question: "q2", Choices: []int{2, 2}}, {Question: "q3", Scale: 3}}, "answers.q2", nil},
		{"scale out of range", []Value{{Question: "q1", Choices: []int{1}}, {Question: "q3", Scale: 6}}, "answers.q3", nil},
		{"long text", []Value{{Question: "q1", Choices: []int{2}}, {Question: "q4", Text: strings.Repeat("长", MaxTextRunes+1)}}, "answers.q4", nil},
		{"unknown question", []Value{{Question: "q1", Choices: []int{2}}, {Question: "q9", Text: "x"}}, "answers.q9", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := s.Check(Answer{DeviceToken: device, Answers: vals(c.values...)})
			if c.field != "" {
				if f := testkit.Fields(err); !slices.Contains(f, c.field) {
					t.Fatalf("refusal names %v (%v), want %s", f, err, c.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var kept []string
			for _, v := range a.values() {
				kept = append(kept, v.Question)
			}
			if !slices.Equal(kept, c.kept) || a.Voter == "" {
				t.Errorf("kept %v (voter %q), want %v", kept, a.Voter, c.kept)
			}
		})
	}
	t.Run("refusal says the question's number", func(t *testing.T) {
		_, err := s.Check(Answer{DeviceToken: device, Answers: vals(Value{Question: "q1", Choices: []int{1}})})
		var e *minyi.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Zh, "第3题") || !strings.Contains(e.Fields[0].En, "question 3") {
			t.Errorf("refusal %v does not name question 3", err)
		}
	})
}

func TestVoter(t *testing.T) {
	s := sample()
	ok := []Value{{Question: "q1", Choices: []int{2}}}
	cases := []struct {
		name, phone, device, field string
	}{
		{"device", "", device, ""},
		{"phone instead of device", "139 4770 1234", "", ""},
		{"neither", "", "", "device_token"},
		{"short device", "", "abc", "device_token"},
		{"bad phone", "12345", device, "phone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Check(Answer{Phone: c.phone, DeviceToken: c.device, Answers: vals(ok...)})
			if c.field == "" && err != nil {
				t.Fatal(err)
			}
			if c.field != "" {
				if f := testkit.Fields(err); !slices.Contains(f, c.field) {
					t.Fatalf("refusal names %v, want %s", f, c.field)
				}
			}
		})
	}
	// A phone makes the answer one per phone, whatever the device.
	if VoterKey("13947701234", "d1") != VoterKey("13947701234", "d2") || VoterKey("", "d1") == VoterKey("", "d2") {
		t.Error("voter keys")
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Survey)
		field string
	}{
		{"no title", func(s *Survey) { s.Title = " " }, "title"},
		{"no unit", func(s *Survey) { s.Unit = "" }, "unit"},
		{"closes before opens", func(s *Survey) { s.OpensOn, s.ClosesOn = "2021-05-01", "2021-04-01" }, "closes_on"},
		{"bad day", func(s *Survey) { s.OpensOn = "2021/05/01" }, "opens_on"},
		{"bad kind", func(s *Survey) { s.Questions[0].Kind = "essay" }, "questions[0].kind"},
		{"one option", func(s *Survey) { s.Questions[1].Options = s.Questions[1].Options[:1] }, "questions[1].options"},
		{"empty label", func(s *Survey) { s.Questions[1].Options[0].Label = "" }, "questions[1].options[0].label"},
		{"scale with options", func(s *Survey) { s.Questions[2].Options = []Option{{Label: "x"}, {Label: "y"}} }, "questions[2].options"},
		{"skip backwards", func(s *Survey) { s.Questions[0].Options[1].SkipTo = "q1" }, "questions[0].options[1].skip_to"},
		{"skip from multiple", func(s *Survey) { s.Questions[1].Options[0].SkipTo = "q4" }, "questions[1].options[0].skip_to"},
		{"show_if forward", func(s *Survey) { s.Questions[0].ShowIf = &Condition{Question: "q2", Options: []int{1}} }, "questions[0].show_if"},
		{"show_if on text", func(s *Survey) {
			s.Questions = append(s.Questions, Question{ID: "q5", Kind: KindText, Text: "x", ShowIf: &Condition{Question: "q4", Options: []int{1}}})
		}, "questions[4].show_if"},
		{"show_if missing option", func(s *Survey) { s.Questions[2].ShowIf.Options = []int{3} }, "questions[2].show_if"},
		{"duplicate id", func(s *Survey) { s.Questions[1].ID = "q1" }, "questions[1].id"},
		{"max choices", func(s *Survey) { s.Questions[1].MaxChoices = 4 }, "questions[1].max_choices"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := sample()
			s.Questions = cloneQuestions(s.Questions)
			c.edit(&s)
			_, err := s.Validate()
			if f := testkit.Fields(err); !slices.Contains(f, c.field) {
				t.Fatalf("refusal names %v (%v), want %s", f, err, c.field)
			}
		})
	}
	t.Run("new questions get the next id", func(t *testing.T) {
		s := sample()
		s.Questions = append(s.Questions, Question{Kind: KindText, Text: "其他"}, Question{Kind: KindScale, Text: "总体"})
		got, err := s.Validate()
		if err != nil || got.Questions[4].ID != "q5" || got.Questions[5].ID != "q6" {
			t.Fatalf("%v %+v", err, got.Questions)
		}
	})
}

func TestSameShape(t *testing.T) {
	s := sample()
	wording := cloneQuestions(s.Questions)
	wording[0].Text, wording[1].Options[0].Label = "您到派出所办过事吗？", "户口"
	moved := cloneQuestions(s.Questions)
	moved[1], moved[2] = moved[2], moved[1]
	option := cloneQuestions(s.Questions)
	option[1].Options = append(option[1].Options, Option{Label: "其他"})
	required := cloneQuestions(s.Questions)
	required[3].Required = true
	for _, c := range []struct {
		name string
		qs   []Question
		same bool
	}{{"wording", wording, true}, {"moved", moved, false}, {"option added", option, false}, {"required", required, false},
		{"question removed", s.Questions[:3], false}} {
		if got := SameShape(s.Questions, c.qs); got != c.same {
			t.Errorf("%s: SameShape %v, want %v", c.name, got, c.same)
		}
	}
}

// legal is the lifecycle written out by hand: which action from which status.
var legal = map[Action][]Status{ActPublish: {StatusDraft}, ActClose: {StatusPublished}}

func TestLifecycle(t *testing.T) {
	officer := register.ActorFor(org.User{Name: "officer-a", Role: org.RoleOfficer, UnitCode: "a"})
	now := time.Date(2021, 4, 1, 9, 0, 0, 0, time.UTC)
	for _, a := range Actions {
		for _, st := range Statuses {
			s := sample()
			s.Status = st
			_, err := Decide(s, Command{Action: a}, officer, now)
			if want := slices.Contains(legal[a], st); (err == nil) != want {
				t.Errorf("%s from %s: %v, legal %v", a, st, err, want)
			}
		}
	}
	s := sample()
	s.Status, s.Questions = StatusDraft, nil
	if _, err := Decide(s, Command{Action: ActPublish}, officer, now); minyi.ErrorCode(err) != minyi.EInvalid {
		t.Errorf("publishing no questions: %v", err)
	}
	partner := register.ActorFor(org.User{Name: "p", Role: org.RolePartner, UnitCode: "a"})
	other := register.ActorFor(org.User{Name: "officer-b", Role: org.RoleOfficer, UnitCode: "b"})
	for _, actor := range []register.Actor{partner, other} {
		s := sample()
		s.Status = StatusDraft
		if _, err := Decide(s, Command{Action: ActPublish}, actor, now); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("%s publishes: %v", actor.Name, err)
		}
	}
	evs, _ := Decide(sample(), Command{Action: ActClose}, officer, now)
	if got := Apply(sample(), evs[0]); got.Status != StatusClosed || got.ClosedOn != "2021-04-01" {
		t.Errorf("closed %+v", got)
	}
}

func TestTallyAndTabulate(t *testing.T) {
	s := sample()
	a, err := s.Check(Answer{DeviceToken: device, Answers: vals(Value{Question: "q1", Choices: []int{1}},
		Value{Question: "q2", Choices: []int{1, 3}}, Value{Question: "q3", Scale: 4})})
	if err != nil {
		t.Fatal(err)
	}
	want := []Tally{{}, {"q1", 0}, {"q1", 1}, {"q2", 0}, {"q2", 1}, {"q2", 3}, {"q3", 0}, {"q3", 4}}
	if got := TallyOf(a); !slices.Equal(got, want) {
		t.Fatalf("tally %v, want %v", got, want)
	}
	counts := []Count{{"", 0, 4}, {"q3", 0, 4}, {"q3", 5, 1}, {"q3", 4, 2}, {"q3", 2, 1}, {"q1", 0, 4}, {"q1", 1, 3}, {"q1", 2, 1}}
	r := Tabulate(s, ResultFilter{}, counts, nil, []TextAnswer{{Answer: 1, Question: "q4", Text: "好"}})
	if r.Answers != 4 || r.Questions[2].Mean != 3.75 || r.Questions[0].Options[0].Percent != 75 || len(r.Questions[3].Texts) != 1 {
		t.Errorf("results %+v", r)
	}
}

func TestMaskText(t *testing.T) {
	got := MaskText("请打我电话13947701234，身份证150624198001011234")
	if strings.Contains(got, "13947701234") || strings.Contains(got, "150624198001011234") || !strings.HasPrefix(got, "请打我电话****") {
		t.Errorf("masked %q", got)
	}
}
