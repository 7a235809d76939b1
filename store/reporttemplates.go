package store

import (
	"context"
	"strconv"
	"time"

	"minyi"
	"minyi/eventlog"
	"minyi/report"
)

// ReportTemplates returns the latest versions of the report template,
// newest first, at most limit of them.
func (db *DB) ReportTemplates(ctx context.Context, limit int) ([]report.StoredTemplate, error) {
	rows, err := db.query(ctx, "SELECT version, text, author, created_at FROM report_templates ORDER BY version DESC LIMIT ?", limit)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out []report.StoredTemplate
	for rows.Next() {
		var t report.StoredTemplate
		var at int64
		if err := rows.Scan(&t.Version, &t.Text, &t.Author, &at); err != nil {
			return nil, wrap(err)
		}
		t.CreatedAt = fromMicros(at)
		out = append(out, t)
	}
	return out, wrap(rows.Err())
}

// errStaleTemplate refuses a save over a version that is no longer the
// latest.
var errStaleTemplate = &minyi.Error{Code: minyi.EConflict, Message: "模板已被他人修改，请刷新后重试 / the template was changed meanwhile: reload and try again",
	Fields: []minyi.FieldError{{Field: "version", Zh: "不是最新版本", En: "not the latest version"}}}

// SaveReportTemplate stores t as the version after base, with its saved
// event in the log, in one transaction; when base is not the latest
// version nothing is written and the error is a conflict.
func (db *DB) SaveReportTemplate(ctx context.Context, t report.StoredTemplate, base int) (report.StoredTemplate, error) {
	err := db.inTx(ctx, func(tx tx) error {
		var latest int
		if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM report_templates").Scan(&latest); err != nil {
			return wrap(err)
		}
		if latest != base {
			return errStaleTemplate
		}
		t.Version = base + 1
		if t.CreatedAt.IsZero() {
			t.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
		}
		if _, err := tx.exec(ctx, "INSERT INTO report_templates(version, text, author, created_at) VALUES (?, ?, ?, ?)",
			t.Version, t.Text, t.Author, micros(t.CreatedAt)); err != nil {
			if isUniqueViolation(err) {
				return errStaleTemplate
			}
			return wrap(err)
		}
		return appendLog(ctx, tx, []eventlog.Event{{Register: report.Register, RecordID: int64(t.Version), Record: "v" + strconv.Itoa(t.Version),
			Type: "saved", Actor: t.Author, At: t.CreatedAt, Body: t.Text, Data: map[string]string{"base": strconv.Itoa(base)}}})
	})
	if err != nil {
		return report.StoredTemplate{}, err
	}
	return t, nil
}
