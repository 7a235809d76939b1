package pages

import (
	"mime/multipart"
	"net/http"
	"path"
	"strings"

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
	// LostPhotos name the photos chosen before a refused submit: a
	// browser cannot put files back into a file input, so the form asks
	// for them again by name rather than dropping them unsaid.
	LostPhotos []string
}

type writeData struct {
	Form       writeForm
	Kinds      []archive.Label
	Categories []archive.Category
	UnitName   string
	// Direct: a QR item goes straight to the unit (org.Unit.TakesAddressed),
	// else through the bureau's dispatch; the form promises no more.
	Direct bool
	// Summary is the error summary of a refused submit, in the order of
	// the form's fields, each linked to its input.
	Summary []summaryEntry
	// MaxPhotoBytes is the size above which the browser shrinks a photo
	// before sending it (app.js), and the server refuses it.
	MaxPhotoBytes int
}

// writeFields are the write-in form's fields in page order, with the ids of
// their inputs, for the error summary's links.
var writeFields = []fieldRef{
	{Field: "kind", ID: "kind"}, {Field: "category", ID: "category"}, {Field: "text", ID: "text"},
	{Field: "location.township", ID: "township"}, {Field: "location.village", ID: "village"},
	{Field: "location.address", ID: "address"}, {Field: "photos", ID: "photos", Prefix: true},
	{Field: "contact.name", ID: "name"}, {Field: "contact.phone", ID: "phone"},
	{Field: "contact.anonymous", ID: "anonymous"},
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
	data := writeData{Form: f, Kinds: archive.Kinds, Categories: cats, MaxPhotoBytes: archive.MaxPhotoBytes}
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
	data.Summary = linkedErrors(v.Errors, writeFields)
	v.Data = data
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
	// A name or phone given with "anonymous" ticked is refused with the
	// reason (archive: contact.anonymous), not dropped unsaid: the citizen
	// chooses between a receipt by SMS and a call back, or anonymity.
	photos, err := formPhotos(r.MultipartForm)
	if err != nil {
		f.LostPhotos = photoNames(r.MultipartForm)
		s.showWriteForm(w, r, http.StatusBadRequest, f, err)
		return nil
	}
	sub.Photos = photos
	sub.Counted = s.IntakeUse(r)
	it, code, err := s.Items.Submit(r.Context(), nil, sub)
	if err != nil {
		f.LostPhotos = photoNames(r.MultipartForm)
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

// photoNames are the names of the photos a form sent, as the citizen's
// device called them, to ask for them again after a refusal.
func photoNames(form *multipart.Form) []string {
	if form == nil {
		return nil
	}
	var out []string
	for _, fh := range form.File["photos"] {
		name := strings.TrimSpace(path.Base(strings.ReplaceAll(fh.Filename, "\\", "/")))
		if name == "" || name == "." || name == "/" {
			continue
		}
		if r := []rune(name); len(r) > archive.MaxShortRunes {
			name = string(r[:archive.MaxShortRunes]) + "…"
		}
		out = append(out, name)
	}
	return out
}
