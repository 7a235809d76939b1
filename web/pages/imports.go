package pages

import (
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"

	"minyi"
	"minyi/ledgerimport"
	"minyi/web/core"
	"minyi/xlsx"
)

// The import page (导入台账): choose a ledger, download its template,
// upload the filled sheet, see every problem by row and column or what
// would be written, then confirm. The confirmation sends the checked file
// back (a hidden field of the answer, no copy kept on the server) and is
// checked again in full before anything is written; the same file is
// never written twice (ledgerimport), so a reload or a double click of the
// confirmation writes nothing more.

// importRoutes are the import page, its form and the templates.
func (s *Pages) importRoutes() []route {
	return []route{
		{"GET", "/staff/import", s.importPage, "staff"},
		{"POST", "/staff/import", s.importUpload, "staff"},
		{"GET", "/staff/import/{ledger}/template.xlsx", s.importTemplate, "staff"},
	}
}

// maxConfirmBytes bounds the file a dry run's answer carries back for the
// confirmation; a larger one is uploaded again with "import".
const maxConfirmBytes = 4 << 20

// ledgerLists are the staff lists the ledgers' records are seen in.
var ledgerLists = map[ledgerimport.Ledger]string{ledgerimport.Matters: "/staff/matters", ledgerimport.Measures: "/staff/measures",
	ledgerimport.Points: "/staff/points", ledgerimport.Volunteers: "/staff/volunteer", ledgerimport.Publicity: "/staff/publicity",
	ledgerimport.Indicators: "/staff/indicators"}

type importLedger struct {
	Code    ledgerimport.Ledger
	Columns []ledgerimport.Column
}

type importData struct {
	Ledgers  []importLedger
	Ledger   ledgerimport.Ledger
	Result   *ledgerimport.Result
	FileName string
	// File is the checked file, base64, for the confirmation; empty when
	// too large to carry (or not checked clean).
	File string
	// Problem is a refusal of the whole file.
	Problem string
}

func (s *Pages) showImport(w http.ResponseWriter, r *http.Request, status int, d importData) {
	for _, l := range ledgerimport.Ledgers {
		cols, _ := ledgerimport.Columns(l)
		d.Ledgers = append(d.Ledgers, importLedger{Code: l, Columns: cols})
	}
	if d.Ledger == "" {
		d.Ledger = ledgerimport.Matters
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.T("import.title")
	if d.Problem != "" {
		v.Errors = map[string]string{"file": d.Problem}
	}
	core.NoStore(w)
	s.Render(w, r, status, "import", v)
}

// importPage shows the form, the ledger of ?ledger= chosen.
func (s *Pages) importPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	l := ledgerimport.Ledger(r.URL.Query().Get("ledger"))
	if _, err := ledgerimport.Columns(l); err != nil {
		l = ""
	}
	s.showImport(w, r, http.StatusOK, importData{Ledger: l})
	return nil
}

// importTemplate sends a ledger's template.
func (s *Pages) importTemplate(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	l := ledgerimport.Ledger(r.PathValue("ledger"))
	b, err := s.Template(r.Context(), u, l)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(ledgerimport.Title(l)+"导入模板.xlsx"))
	core.NoStore(w)
	_, err = w.Write(b)
	return err
}

// importUpload checks (mode check) or imports (mode import) the uploaded
// sheet, or the file a clean check sent back (field data). A clean import
// goes to the ledger's list with a flash; problems show the form again
// with them.
func (s *Pages) importUpload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	d := importData{Ledger: ledgerimport.Ledger(r.PostFormValue("ledger"))}
	if _, err := ledgerimport.Columns(d.Ledger); err != nil {
		return err
	}
	data, name, err := uploadedSheet(r)
	if err != nil {
		return s.refuseImport(w, r, d, err)
	}
	d.FileName = name
	dryRun := r.PostFormValue("mode") != "import"
	res, err := s.ImportFile(ctx, u, d.Ledger, data, dryRun)
	if err != nil {
		return s.refuseImport(w, r, d, err)
	}
	d.Result = &res
	switch {
	case res.ErrorCount > 0:
		s.showImport(w, r, http.StatusUnprocessableEntity, d)
	case dryRun:
		if len(data) <= maxConfirmBytes && res.Previous == nil {
			d.File = base64.StdEncoding.EncodeToString(data)
		}
		s.showImport(w, r, http.StatusOK, d)
	default:
		s.Log.InfoContext(ctx, "ledger imported", "ledger", d.Ledger, "rows", res.Written, "sha256", res.SHA256, "by", u.Name)
		core.SetFlash(w, s.Catalog.T(core.PreferredLang(r), "import.done", res.Written, s.Catalog.T(core.PreferredLang(r), "import.ledger."+string(d.Ledger))))
		http.Redirect(w, r, ledgerLists[d.Ledger], http.StatusSeeOther)
	}
	return nil
}

// refuseImport shows the form again with a refusal of the whole file (not
// a workbook, too large, imported before); anything else is an error page.
func (s *Pages) refuseImport(w http.ResponseWriter, r *http.Request, d importData, err error) error {
	status := refused(err)
	if minyi.ErrorCode(err) == minyi.ETooLarge {
		status = http.StatusRequestEntityTooLarge
	}
	if status == 0 {
		return err
	}
	d.Problem = core.LocalMessage(core.PreferredLang(r), minyi.ErrorMessage(err))
	if fe := core.FieldErrors(s.Catalog, core.PreferredLang(r), err); len(fe) > 0 {
		for _, m := range fe {
			d.Problem = m
		}
	}
	s.showImport(w, r, status, d)
	return nil
}

// uploadedSheet is the file of the form: the part named file, or the
// checked file sent back by the confirmation.
func uploadedSheet(r *http.Request) ([]byte, string, error) {
	if b64 := r.PostFormValue("data"); b64 != "" {
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, "", minyi.Invalid("file", "文件已损坏，请重新上传", "the file was damaged; upload it again")
		}
		return data, r.PostFormValue("file_name"), nil
	}
	var fh *multipart.FileHeader
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		fh = r.MultipartForm.File["file"][0]
	}
	if fh == nil {
		return nil, "", minyi.Invalid("file", "请选择要导入的Excel文件", "choose the Excel file to import")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", minyi.Invalid("file", "文件未能完整上传，请重试", "the file did not arrive whole; try again")
	}
	defer f.Close()
	data, err := core.ReadUpload(io.Reader(f), ledgerimport.MaxBytes)
	return data, fh.Filename, err
}
