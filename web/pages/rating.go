package pages

import (
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
)

// ratingForm is what a rating form sent (the citizen's on the tracking page,
// staff's return visit on the item desk): the level and the marks as typed,
// kept to fill the form again when it is refused.
type ratingForm struct {
	Satisfaction string
	Marks        map[string]string // archive.MarkNames → "1"…"5" or ""
}

// ratingFrom reads the rating fields of a posted form.
func ratingFrom(r *http.Request) ratingForm {
	f := ratingForm{Satisfaction: r.PostFormValue("satisfaction"), Marks: map[string]string{}}
	for _, n := range archive.MarkNames {
		f.Marks[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	return f
}

// marks turns the typed marks into the command's; a mark that is not a
// number is refused naming its field, as the rules refuse one outside 1–5.
func (f ratingForm) marks() (archive.Marks, error) {
	var m archive.Marks
	var p minyi.Problems
	for _, n := range archive.MarkNames {
		s := f.Marks[n]
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 5 {
			p.Add("marks."+n, "评分须为1至5分", "a mark must be from 1 to 5")
			continue
		}
		switch n {
		case "speed":
			m.Speed = v
		case "result":
			m.Result = v
		default:
			m.Attitude = v
		}
	}
	return m, p.Err()
}
