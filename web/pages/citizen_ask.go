package pages

import (
	"net/http"

	"minyi/archive"
	"minyi/web/core"
)

// askForm is the online desk's short question form as the citizen filled
// it: the question, and a name and phone if they want an SMS and a call.
type askForm struct {
	Text, Name, Phone string
	Publish           bool
}

// askFields are the ask form's fields in page order, with their inputs' ids.
var askFields = []fieldRef{
	{Field: "text", ID: "text"}, {Field: "contact.name", ID: "name"}, {Field: "contact.phone", ID: "phone"},
}

// askPage is the short form of the 24-hour online desk (咨询): a question
// needs no kind, category, place or photos, so the desk asks for the
// question alone instead of the whole write-in form.
func (s *Pages) askPage(w http.ResponseWriter, r *http.Request) error {
	s.showAskForm(w, r, http.StatusOK, askForm{Publish: true}, nil)
	return nil
}

func (s *Pages) showAskForm(w http.ResponseWriter, r *http.Request, status int, f askForm, err error) {
	v := s.NewView(w, r, "", nil)
	v.Title = v.T("ask.title")
	v.Errors = core.FormErrors(s.Catalog, v.Lang, err)
	v.Data = struct {
		Form    askForm
		Summary []summaryEntry
	}{f, linkedErrors(v.Errors, askFields)}
	s.Render(w, r, status, "ask", s.withEmergency(r, v))
}

// submitAsk files the question as a consultation on the online desk's
// channel and leads to its receipt, as the write-in form does; the form's
// token files it once.
func (s *Pages) submitAsk(w http.ResponseWriter, r *http.Request) error {
	f := askForm{Text: r.PostFormValue("text"), Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"),
		Publish: r.PostFormValue("publish") != ""}
	sub := archive.Submission{
		Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk, Text: f.Text, Publish: f.Publish,
		Contact:   archive.Contact{Name: f.Name, Phone: f.Phone},
		FormToken: r.PostFormValue(formTokenField), Counted: s.IntakeUse(r),
	}
	it, code, err := s.Items.Submit(r.Context(), nil, sub)
	if err != nil {
		s.showAskForm(w, r, core.Status(w, err), f, err)
		return nil
	}
	s.rememberAccess(w, r, it.Number, code)
	s.showReceiptLater(w, r, it.Number, it.SMSWithheld)
	http.Redirect(w, r, receiptPath(it.Number), http.StatusSeeOther)
	return nil
}
