package core

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"testing"

	"minyi/register"
	"minyi/xlsx"
)

// TestExportStopsWhenCancelled: a download cancelled while its list is
// read (the client gone, the request's context done) reads no page after
// the one under way, writes no rows past it and sends nothing, in either
// format; an export left alone reads every page.
func TestExportStopsWhenCancelled(t *testing.T) {
	const pages, perPage = 50, exportPage
	numbers := Export[int]{Title: "编号", File: "numbers", Columns: []xlsx.Column{num("编号")},
		Row: func(_ Names, n int) []any { return []any{n} }}
	for _, c := range []struct {
		name     string
		format   string
		cancelAt int // the page whose reading the client leaves during; 0: never
	}{
		{"xlsx, during the first page", FormatXLSX, 1},
		{"csv, during the third page", FormatCSV, 3},
		{"xlsx, during the tenth page", FormatXLSX, 10},
		{"xlsx, not cancelled", FormatXLSX, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			read, written := 0, 0
			table, err := ExportRows(ctx, pages*perPage, Names{}, numbers, func(cursor string) (register.Page[int], error) {
				if err := ctx.Err(); err != nil {
					t.Errorf("page %q read after the download was cancelled", cursor)
				}
				read++
				p := register.Page[int]{}
				for i := range perPage {
					p.Items = append(p.Items, (read-1)*perPage+i)
				}
				if read < pages {
					p.NextCursor = strconv.Itoa(read)
				}
				if read == c.cancelAt {
					cancel()
				}
				return p, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			rows := table.Rows
			table.Rows = func(yield func([]any) error) error {
				return rows(func(row []any) error { written++; return yield(row) })
			}
			w := httptest.NewRecorder()
			err = (&Base{}).WriteTables(w, c.format, "编号", "numbers", []xlsx.Table{table})
			if c.cancelAt == 0 {
				if err != nil || read != pages || written != pages*perPage || w.Body.Len() == 0 {
					t.Fatalf("not cancelled: %v, %d pages read, %d rows written, %d bytes sent", err, read, written, w.Body.Len())
				}
				return
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want the cancellation", err)
			}
			// A page is read while the one before is written: the rows
			// stop at the end of either.
			if read != c.cancelAt || written > c.cancelAt*perPage || written < (c.cancelAt-1)*perPage {
				t.Errorf("%d pages read and %d rows written, want %d and %d–%d", read, written, c.cancelAt, (c.cancelAt-1)*perPage, c.cancelAt*perPage)
			}
			if w.Body.Len() != 0 || w.Header().Get("Content-Disposition") != "" {
				t.Errorf("a cancelled export sent %d bytes, headers %v", w.Body.Len(), w.Header())
			}
		})
	}
}
