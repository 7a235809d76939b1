package survey

import (
	"math"
	"strconv"
	"time"

	"minyi"
)

// ResultFilter selects the answers results count: a township ("" all) and
// a period of days of answering (YYYY-MM-DD, inclusive, each optional).
type ResultFilter struct {
	Township string
	From, To string
}

// Check refuses a period that is not made of days.
func (f ResultFilter) Check() error {
	var p minyi.Problems
	for _, d := range []struct{ field, v string }{{"from", f.From}, {"to", f.To}} {
		if d.v != "" {
			if _, err := time.Parse(dayLayout, d.v); err != nil {
				p.Add(d.field, "日期格式应为YYYY-MM-DD", d.field+" must be YYYY-MM-DD")
			}
		}
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		p.Add("to", "结束日期不能早于开始日期", "to cannot be before from")
	}
	return p.Err()
}

// Count is the sum of one counter (Tally) over the filter's days and
// townships.
type Count struct {
	Question string
	Option   int
	N        int64
}

// TownshipCount is how many answers came from one township ("" for those
// who named none).
type TownshipCount struct {
	Township string `json:"township"`
	Answers  int64  `json:"answers"`
}

// OptionCount is how often one option (or scale value) was chosen, and its
// share of the question's answers in percent.
type OptionCount struct {
	Option  int     `json:"option"`
	Label   string  `json:"label"`
	Count   int64   `json:"count"`
	Percent float64 `json:"percent"`
}

// TextAnswer is one free-text answer as staff read it: masked, with the
// item it became, if any.
type TextAnswer struct {
	Answer   int64     `json:"answer"`
	Question string    `json:"question"`
	Text     string    `json:"text"`
	Township string    `json:"township,omitempty"`
	Day      string    `json:"day"`
	At       time.Time `json:"at"`
	// Item is the number of the archive item the answer became; "" while
	// it is none.
	Item string `json:"item,omitempty"`
	// Token files the answer's item once (archive's form token); the
	// store's, never shown.
	Token string `json:"-"`
	// Phone is the answerer's phone, for the item's contact; never shown.
	Phone string `json:"-"`
}

// QuestionResult is the results of one question.
type QuestionResult struct {
	ID       string `json:"id"`
	Number   int    `json:"number"`
	Kind     Kind   `json:"kind"`
	Text     string `json:"text"`
	Answered int64  `json:"answered"`
	// Options are the choice question's options, or a scale's values 1–5.
	Options []OptionCount `json:"options,omitempty"`
	// Mean is a scale's mean, to two places; 0 without answers.
	Mean float64 `json:"mean,omitempty"`
	// Texts are the latest free-text answers (at most MaxTexts for the
	// questionnaire), masked; Answered counts all of them.
	Texts []TextAnswer `json:"texts,omitempty"`
}

// MaxTexts bounds the free-text answers results show; the export has all.
const MaxTexts = 200

// Results are a questionnaire's results for a township and period.
type Results struct {
	Survey   int64  `json:"survey"`
	Title    string `json:"title"`
	Status   Status `json:"status"`
	Township string `json:"township,omitempty"`
	From     string `json:"from,omitempty"`
	To       string `json:"to,omitempty"`
	Answers  int64  `json:"answers"`
	// Townships counts the period's answers by township (every township,
	// whichever the filter names), the bureau's townships first.
	Townships []TownshipCount  `json:"townships"`
	Questions []QuestionResult `json:"questions"`
}

// Tabulate builds the results of s from the counters' sums, the answers
// per township and the latest texts.
func Tabulate(s Survey, f ResultFilter, counts []Count, towns []TownshipCount, texts []TextAnswer) Results {
	r := Results{Survey: s.ID, Title: s.Title, Status: s.Status, Township: f.Township, From: f.From, To: f.To,
		Townships: towns, Questions: []QuestionResult{}}
	if r.Townships == nil {
		r.Townships = []TownshipCount{}
	}
	sum := map[Tally]int64{}
	for _, c := range counts {
		sum[Tally{c.Question, c.Option}] += c.N
	}
	r.Answers = sum[Tally{}]
	for i, q := range s.Questions {
		qr := QuestionResult{ID: q.ID, Number: i + 1, Kind: q.Kind, Text: q.Text, Answered: sum[Tally{Question: q.ID}]}
		share := func(n int64) float64 {
			if qr.Answered == 0 {
				return 0
			}
			return math.Round(float64(n)*1000/float64(qr.Answered)) / 10
		}
		switch q.Kind {
		case KindSingle, KindMultiple:
			for j, o := range q.Options {
				n := sum[Tally{q.ID, j + 1}]
				qr.Options = append(qr.Options, OptionCount{Option: j + 1, Label: o.Label, Count: n, Percent: share(n)})
			}
		case KindScale:
			var total int64
			for v := ScaleMin; v <= ScaleMax; v++ {
				n := sum[Tally{q.ID, v}]
				total += n * int64(v)
				qr.Options = append(qr.Options, OptionCount{Option: v, Label: strconv.Itoa(v), Count: n, Percent: share(n)})
			}
			if qr.Answered > 0 {
				qr.Mean = math.Round(float64(total)*100/float64(qr.Answered)) / 100
			}
		case KindText:
			for _, t := range texts {
				if t.Question == q.ID {
					qr.Texts = append(qr.Texts, t)
				}
			}
		}
		r.Questions = append(r.Questions, qr)
	}
	return r
}
