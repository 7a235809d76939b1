package api

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"minyi"
	"minyi/ledgerimport"
	"minyi/web/core"
	"minyi/web/openapi"
	"minyi/xlsx"
)

// The imports of the ledgers' spreadsheets (issue 12 item 6): a template
// per ledger, and a file checked row by row and, unless asked for a dry run,
// written whole or not at all.

// importRoutes are the routes of the ledgers' imports.
func (s *API) importRoutes() []route {
	ledger := param{"ledger", "path", "matters, measures, service-points or volunteer-activities"}
	return []route{
		{method: "GET", pattern: "/api/v1/imports/{ledger}/template.xlsx", handler: s.importTemplate, auth: "staff", summary: "The ledger's import template (.xlsx): the data sheet with the Chinese headers, the notes on every column and its allowed values, an example row, and the units and party branches the caller may import into; partners 403", response: "xlsx", status: 200,
			params: []param{ledger}},
		{method: "POST", pattern: "/api/v1/imports/{ledger}", handler: s.importLedger, auth: "staff", summary: "Import a ledger's rows from an .xlsx (the body itself, Content-Type " + xlsx.ContentType + ", or the part named file of a multipart form; at most 20 MB and 20,000 rows, else 413). Every row is checked by the ledger's own rules and the caller's authorisation (staff into their own unit, leaders and admins any, partners 403); any problem is 422 with every problem by row and column, and nothing is written; else all rows are written in one transaction (201), or with dry_run=true only counted (200). The same file imported again is 409; a dry run reports it as previous_import", request: "xlsx", response: "ImportResult", status: 201,
			params: []param{ledger, {"dry_run", "query", "true: check and answer what would be written, writing nothing"}}},
	}
}

func (s *API) importTemplate(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	ledger := ledgerimport.Ledger(r.PathValue("ledger"))
	b, err := s.Template(r.Context(), u, ledger)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(ledgerimport.Title(ledger)+"导入模板.xlsx"))
	core.NoStore(w)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	return err
}

func (s *API) importLedger(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	ledger := ledgerimport.Ledger(r.PathValue("ledger"))
	if _, err := ledgerimport.Columns(ledger); err != nil {
		return err
	}
	dryRun := false
	switch v := r.URL.Query().Get("dry_run"); v {
	case "", "false", "0":
	case "true", "1":
		dryRun = true
	default:
		return minyi.Invalid("dry_run", "dry_run须为true或false", "dry_run must be true or false")
	}
	data, err := uploaded(w, r)
	if err != nil {
		return err
	}
	res, err := s.ImportFile(r.Context(), u, ledger, data, dryRun)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	switch {
	case res.ErrorCount > 0:
		status = http.StatusUnprocessableEntity
	case dryRun:
		status = http.StatusOK
	}
	core.NoStore(w)
	core.WriteJSON(w, status, res)
	return nil
}

// uploaded reads the workbook: the body itself, or the part named file of a
// multipart form.
func uploaded(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, ledgerimport.MaxBytes+1<<20) // room for a form's own bytes
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mt == xlsx.ContentType || mt == "application/octet-stream":
		return core.ReadUpload(r.Body, ledgerimport.MaxBytes)
	case mt == "multipart/form-data" && params["boundary"] != "":
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, minyi.Invalid("file", "表单格式错误", "malformed multipart form")
		}
		for {
			p, err := mr.NextPart()
			if err != nil {
				return nil, minyi.Invalid("file", "表单中没有名为file的文件", "no part named file in the form")
			}
			if p.FormName() == "file" {
				return core.ReadUpload(p, ledgerimport.MaxBytes)
			}
		}
	}
	return nil, minyi.Errorf(minyi.EInvalid, "请以%s或multipart/form-data上传Excel文件 / send the .xlsx as %s or multipart/form-data", xlsx.ContentType, xlsx.ContentType)
}

// importSchemas are the schemas of the imports' answers.
func importSchemas() map[string]any {
	problem := openapi.Obj([]string{"row", "column", "field", "message_zh", "message_en"}, map[string]any{
		"row":        openapi.With(openapi.Int, "description", "the row number as Excel shows it (1 is the header row)"),
		"column":     openapi.With(openapi.Str, "description", "the column's header; empty for the row as a whole"),
		"field":      openapi.With(openapi.Str, "description", "the record's field"),
		"message_zh": openapi.Str, "message_en": openapi.Str})
	return map[string]any{
		"ImportResult": openapi.Obj([]string{"ledger", "rows", "written", "dry_run", "sha256", "errors", "error_count", "preview"}, map[string]any{
			"ledger": openapi.EnumOf(ledgerimport.Ledgers), "rows": openapi.With(openapi.Int, "description", "data rows read (empty rows skipped)"),
			"written": openapi.With(openapi.Int, "description", "records written: 0 on a dry run or with any problem"),
			"dry_run": openapi.Bool, "sha256": openapi.With(openapi.Str, "description", "the file's SHA-256, which names the import in the event log"),
			"errors":      openapi.Arr(problem),
			"error_count": openapi.With(openapi.Int, "description", "all problems; errors lists the first 500"),
			"preview":     openapi.With(openapi.Arr(map[string]any{"type": "object"}), "description", "the first records as written or as they would be"),
			"previous_import": openapi.Obj([]string{"at", "actor", "ledger", "rows"}, map[string]any{
				"at": openapi.With(openapi.Str, "format", "date-time"), "actor": openapi.Str, "ledger": openapi.Str, "rows": openapi.Int}),
		}),
	}
}

// isXLSX names the content of the routes that send or take a workbook.
func isXLSX(name string) bool { return strings.EqualFold(name, "xlsx") }
