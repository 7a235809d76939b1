package core

import (
	"bytes"
	"net/http"

	"minyi"
	"minyi/docx"
	"minyi/org"
	"minyi/report"
)

// ReportFormats are the files a report is written as (besides the API's
// JSON), with their content types: the API and the report page offer the
// same ones through WriteReport.
var ReportFormats = map[string]string{
	"html": "text/html; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
	"docx": docx.ContentType,
}

// ReportFormat refuses a format that is not one of ReportFormats, naming
// the field.
func ReportFormat(format string) error {
	if _, ok := ReportFormats[format]; !ok {
		return minyi.Invalid("format", "格式只能是html、md或docx", "format must be html, md or docx")
	}
	return nil
}

// WriteReport sends doc as a file of format (ReportFormats) named name and
// the format's extension, written whole
// before the status so that a failure is an error, never half a report. A
// DOCX links its figures to their lists at the server's public address and
// shows the stories' photos u may see. inline shows HTML and Markdown in
// the browser rather than downloading them; a DOCX always downloads.
func (s *Base) WriteReport(w http.ResponseWriter, r *http.Request, u org.User, doc report.Document, format, name string, inline bool) error {
	if err := ReportFormat(format); err != nil {
		return err
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "html":
		err = report.HTML(&buf, doc)
	case "md":
		err = report.Markdown(&buf, doc)
	case "docx":
		ctx := r.Context()
		err = report.DOCX(&buf, doc, report.DOCXOptions{
			Link: func(list string) string { return s.PublicURL(r) + list },
			Photo: func(matter, photo int64) ([]byte, error) {
				p, err := s.Svc.Matters.Photo(ctx, u, matter, photo)
				return p.Data, err
			},
		})
	}
	if err != nil {
		return minyi.Internal(err)
	}
	disposition := "attachment"
	if inline && format != "docx" {
		disposition = "inline"
	}
	NoStore(w)
	w.Header().Set("Content-Type", ReportFormats[format])
	w.Header().Set("Content-Disposition", disposition+`; filename="`+name+`.`+format+`"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}
