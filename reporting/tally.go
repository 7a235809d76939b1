package reporting

import "math"

// Tally counts the records of a case register received in a period by what
// has become of them. The store keeps one Tally per unit and day of
// receipt, updated in the same transaction as the record, so the rates of
// any period are a cheap sum and can always be recomputed from the records
// (which are folds of events).
type Tally struct {
	Received  int64 `json:"received"`  // 收件
	Valid     int64 `json:"valid"`     // neither invalid nor merged
	Responded int64 `json:"responded"` // signed for or replied to (响应)
	Answered  int64 `json:"answered"`  // 答复
	OnTime    int64 `json:"on_time"`   // answered within the time limit
	Closed    int64 `json:"closed"`    // 销号 (resolved)
	Visited   int64 `json:"visited"`   // rated at a return visit
	// The verdicts in three groups, as before the five levels of the
	// national 好差评: satisfied counts 非常满意 and 满意, unsatisfied
	// 不满意 and 非常不满意, so satisfied + basic_satisfied + unsatisfied
	// = visited, and the satisfaction rate means what it always meant.
	Satisfied      int64 `json:"satisfied"`       // 满意 (非常满意 among them)
	BasicSatisfied int64 `json:"basic_satisfied"` // 基本满意
	Unsatisfied    int64 `json:"unsatisfied"`     // 不满意 (非常不满意 among them)
	// The two ends of the five levels, counted again within their group:
	// satisfied − very_satisfied rated just 满意.
	VerySatisfied   int64 `json:"very_satisfied"`   // 非常满意, of satisfied
	VeryUnsatisfied int64 `json:"very_unsatisfied"` // 非常不满意, of unsatisfied
	Returned        int64 `json:"returned"`         // returned at least once
	Redone          int64 `json:"redone"`           // reopened at least once
}

// TallyKey says which counter row a record is counted in.
type TallyKey struct {
	Unit string
	Day  string // YYYY-MM-DD of receipt, China time
}

// Add adds o times sign (±1) to t.
func (t *Tally) Add(o Tally, sign int64) {
	t.Received += sign * o.Received
	t.Valid += sign * o.Valid
	t.Responded += sign * o.Responded
	t.Answered += sign * o.Answered
	t.OnTime += sign * o.OnTime
	t.Closed += sign * o.Closed
	t.Visited += sign * o.Visited
	t.Satisfied += sign * o.Satisfied
	t.BasicSatisfied += sign * o.BasicSatisfied
	t.Unsatisfied += sign * o.Unsatisfied
	t.VerySatisfied += sign * o.VerySatisfied
	t.VeryUnsatisfied += sign * o.VeryUnsatisfied
	t.Returned += sign * o.Returned
	t.Redone += sign * o.Redone
}

// Figures names each count of t by its key, the same names as its JSON.
func (t Tally) Figures() Figures {
	return Figures{
		"received": t.Received, "valid": t.Valid, "responded": t.Responded, "answered": t.Answered,
		"on_time": t.OnTime, "closed": t.Closed, "visited": t.Visited, "satisfied": t.Satisfied,
		"basic_satisfied": t.BasicSatisfied, "unsatisfied": t.Unsatisfied, "very_satisfied": t.VerySatisfied,
		"very_unsatisfied": t.VeryUnsatisfied, "returned": t.Returned, "redone": t.Redone,
	}
}

// Verdict is how many records were rated at one of the five levels of
// 好差评 (Level: very_satisfied, satisfied, basic_satisfied, unsatisfied,
// very_unsatisfied).
type Verdict struct {
	Level string
	Count int64
}

// Verdicts is the five-level distribution of t's ratings, best first: the
// counters' groups taken apart, so satisfied here is 满意 alone.
func (t Tally) Verdicts() []Verdict {
	return []Verdict{{"very_satisfied", t.VerySatisfied}, {"satisfied", t.Satisfied - t.VerySatisfied},
		{"basic_satisfied", t.BasicSatisfied}, {"unsatisfied", t.Unsatisfied - t.VeryUnsatisfied},
		{"very_unsatisfied", t.VeryUnsatisfied}}
}

// Rates are the three rates (三率) and the others leaders watch, as
// fractions in [0,1]; nil when there is nothing to divide by.
type Rates struct {
	Response     *float64 `json:"response_rate"`     // 响应率 = responded ÷ valid
	Resolution   *float64 `json:"resolution_rate"`   // 解决率 = closed ÷ valid
	Satisfaction *float64 `json:"satisfaction_rate"` // 满意率 = (satisfied + basic) ÷ visited: the top two of the three groups
	OnTime       *float64 `json:"on_time_rate"`      // 按时办结率 = on time ÷ answered
	Return       *float64 `json:"return_rate"`       // 退回率 = returned ÷ valid
	Redo         *float64 `json:"redo_rate"`         // 重办率 = redone ÷ answered
}

// Rates computes the rates of t.
func (t Tally) Rates() Rates {
	return Rates{
		Response:     ratio(t.Responded, t.Valid),
		Resolution:   ratio(t.Closed, t.Valid),
		Satisfaction: ratio(t.Satisfied+t.BasicSatisfied, t.Visited),
		OnTime:       ratio(t.OnTime, t.Answered),
		Return:       ratio(t.Returned, t.Valid),
		Redo:         ratio(t.Redone, t.Answered),
	}
}

// ratio is a÷b rounded to four places (a hundredth of a percent), nil for
// an empty b.
func ratio(a, b int64) *float64 {
	if b == 0 {
		return nil
	}
	r := math.Round(float64(a)/float64(b)*10000) / 10000
	return &r
}

// GroupKey names one line of the breakdown counters: the records of one
// unit received on one day in one group of a dimension, such as the items
// of one category (Dim "category") or arriving through one channel (Dim
// "channel"). They make the dashboard's split a read of counters, not of
// every record.
type GroupKey struct {
	TallyKey
	Dim, Key string
}
