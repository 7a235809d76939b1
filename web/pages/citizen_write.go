package pages

import (
	"mime/multipart"
	"net/http"

	"minyi"
	"minyi/archive"
	"minyi/web/core"
)

// writeForm is the write-in form as the citizen filled it, kept to show it
// again when something needs correcting.
type writeForm struct {
	Channel, Unit, Point       string
	Kind, Category, Text       string
	Name, Phone                string
	Township, Village, Address string
	Anonymous, Publish         bool
}

type writeData struct {
	Form       writeForm
	Kinds      []archive.Label
	Categories []archive.Category
	UnitName   string
	// Direct: a QR item goes straight to the unit (org.Unit.TakesAddressed),
	// else through the bureau's dispatch; the form promises no more.
	Direct bool
}

// writePage shows the write-in form. A QR code or the online desk opens it
// with the channel, unit and service point preset.
func (s *Pages) writePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := writeForm{Channel: q.Get("channel"), Unit: q.Get("unit"), Point: q.Get("point"), Kind: q.Get("kind")}
	if f.Channel == string(archive.ChannelOnlineDesk) {
		f.Publish = true
		if f.Kind == "" {
			f.Kind = string(archive.KindConsultation)
		}
	}
	s.showWriteForm(w, r, http.StatusOK, f, nil)
	return nil
}

func (s *Pages) showWriteForm(w http.ResponseWriter, r *http.Request, status int, f writeForm, err error) {
	switch archive.Channel(f.Channel) {
	case archive.ChannelQRCode, archive.ChannelOnlineDesk:
	default:
		f.Channel = string(archive.ChannelOnlineBox)
	}
	cats, cerr := s.ActiveCategories(r)
	if cerr != nil {
		s.PageError(w, r, cerr)
		return
	}
	data := writeData{Form: f, Kinds: archive.Kinds, Categories: cats}
	if f.Unit != "" {
		if u, uerr := s.Org.Unit(r.Context(), f.Unit); uerr == nil {
			data.UnitName = u.Name
			data.Direct = f.Channel == string(archive.ChannelQRCode) && u.TakesAddressed()
		} else {
			data.Form.Unit = "" // a stale poster: file it with the bureau
		}
	}
	v := s.NewView(w, r, "", data)
	v.Title = v.T("write.title")
	if f.Channel == string(archive.ChannelOnlineDesk) {
		v.Title = v.T("write.desk_title")
	}
	v.Errors = core.FormErrors(s.Catalog, v.Lang, err)
	s.Render(w, r, status, "write", s.withEmergency(r, v))
}

// submitWrite files the citizen's item and sends the citizen to its
// receipt (Post/Redirect/Get). The form's token files it once: sent again,
// it leads to the same receipt (archive/form.go).
func (s *Pages) submitWrite(w http.ResponseWriter, r *http.Request) error {
	f := writeForm{
		Channel: r.PostFormValue("channel"), Unit: r.PostFormValue("unit"), Point: r.PostFormValue("point"),
		Kind: r.PostFormValue("kind"), Category: r.PostFormValue("category"), Text: r.PostFormValue("text"),
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"),
		Township: r.PostFormValue("township"), Village: r.PostFormValue("village"), Address: r.PostFormValue("address"),
		Anonymous: r.PostFormValue("anonymous") != "", Publish: r.PostFormValue("publish") != "",
	}
	if f.Channel == "" {
		f.Channel = string(archive.ChannelOnlineBox) // what the form's hidden field says by default
	}
	sub := archive.Submission{
		Kind: archive.Kind(f.Kind), Channel: archive.Channel(f.Channel), ChannelDetail: f.Point,
		Category: f.Category, Unit: f.Unit, Text: f.Text, Publish: f.Publish,
		Contact:  archive.Contact{Anonymous: f.Anonymous, Name: f.Name, Phone: f.Phone},
		Location: archive.Location{Township: f.Township, Village: f.Village, Address: f.Address},
	}
	sub.FormToken = r.PostFormValue(formTokenField)
	if f.Anonymous {
		// The form keeps whatever was typed before ticking "anonymous";
		// the citizen's choice to stay anonymous wins.
		sub.Contact = archive.Contact{Anonymous: true}
	}
	photos, err := formPhotos(r.MultipartForm)
	if err != nil {
		s.showWriteForm(w, r, http.StatusBadRequest, f, err)
		return nil
	}
	sub.Photos = photos
	sub.Counted = s.IntakeUse(r)
	it, code, err := s.Items.Submit(r.Context(), nil, sub)
	if err != nil {
		s.showWriteForm(w, r, core.Status(w, err), f, err)
		return nil
	}
	s.rememberAccess(w, r, it.Number, code)
	s.showReceiptLater(w, r, it.Number, it.SMSWithheld)
	http.Redirect(w, r, receiptPath(it.Number), http.StatusSeeOther)
	return nil
}

// formPhotos reads the uploaded photos, refusing more than
// archive.MaxPhotos at once; archive.Submission checks their size and
// type.
func formPhotos(form *multipart.Form) ([]archive.Photo, error) {
	out, err := uploadedPhotos(form, archive.MaxPhotos)
	if err == nil && len(out) > archive.MaxPhotos {
		return nil, minyi.Invalid("photos", "照片最多4张", "at most 4 photos")
	}
	return out, err
}
