package pages

import (
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/web/core"
)

// The review of an item's public version (公开版本审核): the online desk
// shows a title, question and answer that staff have checked, never what
// the citizen and the officer wrote if it names the citizen. The archive
// finds the personal data; this page marks it and lets staff edit.

func deskReviewPath(number string) string { return itemDeskPath(number) + "/desk" }

// markedPart is a stretch of a public text, marked when it looks like
// personal data.
type markedPart struct {
	Text string
	Kind string // the kind of personal data; "" for plain text
}

// deskReviewField is one field of the public version as the page shows it.
type deskReviewField struct {
	Name  string // title, text, answer
	Value string
	Parts []markedPart
	Found bool
}

type deskReviewData struct {
	Item   archive.Item // contact masked
	Fields []deskReviewField
	Found  bool
}

// marked cuts text into parts at the spans found in field.
func marked(text, field string, findings []archive.Finding) ([]markedPart, bool) {
	runes := []rune(text)
	var parts []markedPart
	at, found := 0, false
	for _, f := range findings {
		if f.Field != field || f.Start < at || f.End > len(runes) {
			continue
		}
		if f.Start > at {
			parts = append(parts, markedPart{Text: string(runes[at:f.Start])})
		}
		parts = append(parts, markedPart{Text: string(runes[f.Start:f.End]), Kind: f.Kind})
		at, found = f.End, true
	}
	if at < len(runes) {
		parts = append(parts, markedPart{Text: string(runes[at:])})
	}
	return parts, found
}

// deskReviewPage shows the public version to publish, with what looks
// like personal data marked.
func (s *Pages) deskReviewPage(w http.ResponseWriter, r *http.Request) error {
	s.showDeskReview(w, r, http.StatusOK, nil, nil)
	return nil
}

// deskReviewPublish publishes the public version as staff edited it; a
// version still holding personal data is refused and shown again marked.
func (s *Pages) deskReviewPublish(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	number := r.PathValue("number")
	v := archive.DeskVersion{Title: r.PostFormValue("title"), Text: r.PostFormValue("text"), Answer: r.PostFormValue("answer")}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		s.showDeskReview(w, r, http.StatusBadRequest, &v, minyi.Invalid("version", "页面版本无效，请刷新后重试", "invalid version: reload the page and try again"))
		return nil
	}
	yes := true
	cmd := archive.Command{Action: archive.ActSetPublish, Version: version, Publish: &yes, Desk: &v}
	if _, err := s.Items.Act(ctx, u, number, cmd, false); err != nil {
		s.showDeskReview(w, r, core.StatusOf(minyi.ErrorCode(err)), &v, err)
		return nil
	}
	s.done(w, r, itemDeskPath(number), "item.done.published")
	return nil
}

// showDeskReview renders the review of the item in the path: of v as
// staff sent it, or of the draft, with why publishing was refused.
func (s *Pages) showDeskReview(w http.ResponseWriter, r *http.Request, status int, v *archive.DeskVersion, actErr error) {
	if status >= http.StatusInternalServerError {
		s.PageError(w, r, actErr)
		return
	}
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	number := r.PathValue("number")
	rev, err := s.Items.ReviewDesk(ctx, u, number, v)
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	d := deskReviewData{Item: rev.Item}
	for _, f := range []struct{ name, value string }{{"title", rev.Version.Title}, {"text", rev.Version.Text}, {"answer", rev.Version.Answer}} {
		parts, found := marked(f.value, f.name, rev.Findings)
		d.Fields = append(d.Fields, deskReviewField{Name: f.name, Value: f.value, Parts: parts, Found: found})
		d.Found = d.Found || found
	}
	view := s.NewView(w, r, "", d)
	view.Title = view.T("desk_review.title", number)
	view.Errors = core.FormErrors(s.Catalog, view.Lang, actErr)
	if r.Method != http.MethodGet {
		view.Path = deskReviewPath(number) // the language switch comes back to the review
	}
	s.Render(w, r, status, "desk_review", view)
}
