package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/eventlog"
	"minyi/ratelimit"
)

// Value is the answer to one question: the chosen options (numbers from
// 1) of a choice question, the value of a scale, or a text.
type Value struct {
	// Question is the question's id, the key of Answer.Answers.
	Question string `json:"-"`
	Choices  []int  `json:"choices,omitempty"`
	Scale    int    `json:"scale,omitempty"`
	Text     string `json:"text,omitempty"`
}

// Answer is one citizen's answer to a questionnaire.
type Answer struct {
	ID     int64 `json:"id"`
	Survey int64 `json:"survey"`
	// Township is where the citizen lives, chosen from the bureau's
	// townships; optional, for results by township.
	Township string `json:"township,omitempty"`
	// Phone, when given, makes the answer one per phone instead of one per
	// device. Staff see it masked (archive.MaskContact).
	Phone string `json:"phone,omitempty"`
	// DeviceToken is the answering device's token (the page's cookie, or
	// a client's own random token): only its hash is kept, as the key of
	// one answer per device.
	DeviceToken string `json:"device_token,omitempty"`
	// Answers are the values by question id (q1, q2, …).
	Answers   map[string]Value `json:"answers"`
	Day       string           `json:"day"`
	CreatedAt time.Time        `json:"created_at"`
	// Counted are the uses of the answers' abuse limit (per client
	// address), counted in the answer's transaction.
	Counted []ratelimit.Use `json:"-"`
	// Voter is the hash the store keeps one answer per (device or phone).
	Voter string `json:"-"`
	archive.Form
}

var (
	phonePattern  = regexp.MustCompile(archive.PhonePattern)
	devicePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)
)

// VoterKey is what keeps an answer one per device or phone: a hash of the
// phone when given, else of the device's token, so that the database holds
// neither.
func VoterKey(phone, device string) string {
	subject := "device\x00" + device
	if phone != "" {
		subject = "phone\x00" + phone
	}
	sum := sha256.Sum256([]byte("minyi survey voter\x00" + subject))
	return hex.EncodeToString(sum[:])
}

func vField(q Question) string { return "answers." + q.ID }

// Check validates a against s and returns it cleaned: the values in the
// questionnaire's order, the answers to questions its skip rules passed
// over left out (a page without script shows every question), the phone
// without spaces, the voter key set. Each refusal names its question
// (answers.q3) and says its number as the citizen reads it. The township
// is the caller's to check against the bureau's.
func (s Survey) Check(a Answer) (Answer, error) {
	var p minyi.Problems
	a.Township = archive.CheckNamedText(&p, "township", "乡镇（苏木）", a.Township, archive.MaxShortRunes, false)
	a.Phone = strings.ReplaceAll(strings.TrimSpace(a.Phone), " ", "")
	if a.Phone != "" && !phonePattern.MatchString(a.Phone) {
		p.Add("phone", "电话号码格式不正确", "phone must be an 11-digit mobile or a landline number")
	}
	a.DeviceToken = strings.TrimSpace(a.DeviceToken)
	if a.Phone == "" && !devicePattern.MatchString(a.DeviceToken) {
		p.Add("device_token", "无法识别您的设备，请允许本网站保存Cookie，或填写手机号码",
			"device_token (16–128 letters, digits, - or _) is required unless a phone is given")
	}
	if a.Answers == nil {
		p.Add("answers", "请作答", "answers is required")
		return a, p.Err()
	}
	given := a.Answers
	for _, id := range slices.Sorted(maps.Keys(given)) {
		if _, ok := s.Question(id); !ok {
			p.Add("answers."+id, "问卷中没有题目"+id, "no question "+id+" in this questionnaire")
		}
	}
	out := map[string]Value{}
	chosen := map[string][]int{} // what the shown questions were answered with, for show_if
	skipTo := ""
	for i, q := range s.Questions {
		if skipTo != "" && q.ID != skipTo {
			continue
		}
		if skipTo == q.ID {
			skipTo = ""
		}
		if c := q.ShowIf; c != nil && !intersects(chosen[c.Question], c.Options) {
			continue
		}
		v, ok := given[q.ID]
		zh := "第" + strconv.Itoa(i+1) + "题"
		if !ok || empty(v) {
			if q.Required {
				p.Add(vField(q), zh+"必须作答", "question "+strconv.Itoa(i+1)+" is required")
			}
			continue
		}
		v = Value{Question: q.ID, Choices: v.Choices, Scale: v.Scale, Text: v.Text}
		switch q.Kind {
		case KindSingle, KindMultiple:
			v.Scale, v.Text = 0, ""
			if checkChoices(&p, q, i, v.Choices) {
				chosen[q.ID] = v.Choices
				if q.Kind == KindSingle {
					skipTo = q.Options[v.Choices[0]-1].SkipTo
				}
			}
		case KindScale:
			v.Choices, v.Text = nil, ""
			if v.Scale < ScaleMin || v.Scale > ScaleMax {
				p.Add(vField(q), zh+"请选择1–5分", "question "+strconv.Itoa(i+1)+": the scale is 1 to 5")
			} else {
				chosen[q.ID] = []int{v.Scale}
			}
		case KindText:
			v.Choices, v.Scale = nil, 0
			v.Text = archive.CheckNamedText(&p, vField(q), zh, v.Text, MaxTextRunes, false)
		}
		out[q.ID] = v
		if skipTo == SkipEnd {
			break
		}
	}
	a.Answers = out
	if err := p.Err(); err != nil {
		return a, err
	}
	a.Voter = VoterKey(a.Phone, a.DeviceToken)
	return a, nil
}

func empty(v Value) bool {
	return len(v.Choices) == 0 && v.Scale == 0 && strings.TrimSpace(v.Text) == ""
}

func intersects(a, b []int) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// checkChoices checks a choice question's options; ok when they stand.
func checkChoices(p *minyi.Problems, q Question, i int, choices []int) bool {
	n := strconv.Itoa(i + 1)
	zh := "第" + n + "题"
	switch {
	case q.Kind == KindSingle && len(choices) != 1:
		p.Add(vField(q), zh+"请选择一项", "question "+n+": choose one option")
		return false
	case q.MaxChoices > 0 && len(choices) > q.MaxChoices:
		p.Add(vField(q), zh+"最多选"+strconv.Itoa(q.MaxChoices)+"项", "question "+n+": at most "+strconv.Itoa(q.MaxChoices)+" options")
		return false
	}
	seen := map[int]bool{}
	for _, c := range choices {
		if c < 1 || c > len(q.Options) || seen[c] {
			p.Add(vField(q), zh+"选项无效", "question "+n+": no such option, or chosen twice")
			return false
		}
		seen[c] = true
	}
	return true
}

// Tally is one counter an answer moves: the answers of the questionnaire
// (Question "", Option 0), the answers of one question (Option 0), or the
// choices of one option or scale value (Option from 1). The store keeps
// them per questionnaire, day and township, so that results of any period
// and township are sums of counters and never a scan of answers.
type Tally struct {
	Question string
	Option   int
}

// TallyOf returns the counters a checked answer adds one to, by question
// id.
func TallyOf(a Answer) []Tally {
	out := []Tally{{}}
	for _, v := range a.values() {
		out = append(out, Tally{Question: v.Question})
		for _, c := range v.Choices {
			out = append(out, Tally{Question: v.Question, Option: c})
		}
		if v.Scale != 0 {
			out = append(out, Tally{Question: v.Question, Option: v.Scale})
		}
	}
	return out
}

// Answered returns the log's event of a stored answer: which answer and
// township, never what it says.
func (a Answer) Answered(s Survey) eventlog.Event {
	e := s.event(EventAnswered, archive.ActorCitizen, a.CreatedAt, map[string]string{
		"answer": strconv.FormatInt(a.ID, 10), "township": a.Township})
	return e
}

// values returns the answer's values with their questions, by question id.
func (a Answer) values() []Value {
	var out []Value
	for _, id := range slices.Sorted(maps.Keys(a.Answers)) {
		v := a.Answers[id]
		v.Question = id
		out = append(out, v)
	}
	return out
}

// Texts returns the answer's free texts, by question id.
func (a Answer) Texts() []Value {
	var out []Value
	for _, v := range a.values() {
		if v.Text != "" {
			out = append(out, v)
		}
	}
	return out
}

// Masked returns the answer as staff read it: the phone masked, the
// device's token never.
func (a Answer) Masked() Answer {
	a.Phone = archive.MaskContact(archive.Contact{Phone: a.Phone}).Phone
	a.DeviceToken = ""
	masked := make(map[string]Value, len(a.Answers))
	for id, v := range a.Answers {
		v.Text = MaskText(v.Text)
		masked[id] = v
	}
	a.Answers = masked
	return a
}

// MaskText removes from a free-text answer what looks like a phone or ID
// number (archive.PersonalData), each replaced by ****: results and
// exports are read by many.
func MaskText(text string) string {
	return archive.MaskPersonalData(text, archive.Contact{}, archive.Location{})
}
