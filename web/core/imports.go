package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"minyi"
	"minyi/ledgerimport"
	"minyi/org"
	"minyi/xlsx"
)

// ImportFile imports (or on a dry run checks) the workbook data into the
// ledger for u: the API and the import page both come here. A server reads
// one workbook at a time, since one may unpack to a hundred megabytes and
// more (xlsx.MaxUnzipped); the next waits up to ImportWait, then is
// refused.
func (s *Base) ImportFile(ctx context.Context, u org.User, ledger ledgerimport.Ledger, data []byte, dryRun bool) (ledgerimport.Result, error) {
	if _, err := ledgerimport.Columns(ledger); err != nil {
		return ledgerimport.Result{}, err
	}
	if err := s.importing.take(ctx, ImportWait, errImportBusy); err != nil {
		return ledgerimport.Result{}, err
	}
	defer s.importing.release()
	sum := sha256.Sum256(data)
	rows, err := xlsx.Read(bytes.NewReader(data), ledgerimport.MaxRows+1)
	if err != nil {
		return ledgerimport.Result{}, err
	}
	return s.Svc.Imports.Import(ctx, u, ledgerimport.Request{Ledger: ledger, Rows: rows, SHA256: hex.EncodeToString(sum[:]), DryRun: dryRun})
}

// ReadUpload reads an uploaded file of at most limit bytes: larger is
// too_large (413), naming the limit.
func ReadUpload(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, TooLarge(tooBig.Limit)
	case int64(len(data)) > limit:
		return nil, minyi.Errorf(minyi.ETooLarge, "文件超过%d MB / the file is over %d MB", limit>>20, limit>>20)
	case err != nil:
		return nil, minyi.Invalid("file", "文件未能完整上传，请重试", "the file did not arrive whole; try again")
	case len(data) == 0:
		return nil, minyi.Invalid("file", "请选择要导入的Excel文件", "choose the Excel file to import")
	}
	return data, nil
}

// Template returns a ledger's import template for u as an .xlsx workbook.
func (s *Base) Template(ctx context.Context, u org.User, ledger ledgerimport.Ledger) ([]byte, error) {
	sheets, err := s.Svc.Imports.Template(ctx, u, ledger)
	if err != nil {
		return nil, err
	}
	out := make([]xlsx.Sheet, len(sheets))
	for i, sh := range sheets {
		out[i] = xlsx.Sheet{Name: sh.Name, Rows: sh.Rows, Bold: true, Widths: widths(sh.Rows)}
	}
	return xlsx.Write(out)
}

// widths fits each column to its longest cell, within reason.
func widths(rows [][]string) []float64 {
	var w []float64
	for _, r := range rows {
		for i, c := range r {
			for len(w) <= i {
				w = append(w, 8)
			}
			n := float64(len([]rune(c))) * 2.2
			w[i] = min(max(w[i], n), 60)
		}
	}
	return w
}
