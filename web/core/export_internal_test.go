package core

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"minyi/archive"
	"minyi/onestop"
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

// TestItemsExportRowOfBrief: the archive's row (ItemsExport) of an item
// Brief, as the ledgers' workbook reads a year of them, is the row of the
// whole item: Brief keeps every field the row shows.
func TestItemsExportRowOfBrief(t *testing.T) {
	var it archive.Item
	fill(reflect.ValueOf(&it).Elem(), "item")
	n := Names{units: map[string]string{it.UnitCode: "甲派出所"}, codes: map[codeList]map[string]string{codeCategory: {it.CategoryCode: "户籍"}}}
	for _, c := range []struct {
		name string
		it   archive.Item
	}{{"answered", it}, {"not answered", func() archive.Item { it := it; it.AnsweredAt, it.ClosedAt = nil, nil; return it }()}} {
		t.Run(c.name, func(t *testing.T) {
			whole, brief := ItemsExport.Row(n, c.it), ItemsExport.Row(n, c.it.Brief())
			if !reflect.DeepEqual(whole, brief) {
				t.Fatalf("the row of the brief item:\n%v\nof the whole item:\n%v", brief, whole)
			}
		})
	}
}

// TestCasesExportRowOfBrief: the one-stop cases' row (CasesExport) of a
// case Brief, as the ledgers' workbook reads a year of them, is the row of
// the whole case, open at a step or not.
func TestCasesExportRowOfBrief(t *testing.T) {
	var c onestop.Case
	fill(reflect.ValueOf(&c).Elem(), "case")
	c.Steps = append(c.Steps, c.Steps[0], c.Steps[0])
	c.Steps[1].Name, c.Steps[2].Name = "制证", "发证"
	n := Names{units: map[string]string{c.Unit: "政务服务中心"}, label: func(key string) (string, bool) { return "标签" + key, true }}
	for _, st := range []onestop.Status{onestop.StatusOpen, onestop.StatusDone, onestop.StatusCancelled} {
		for step := range 3 {
			t.Run(string(st)+strconv.Itoa(step), func(t *testing.T) {
				c := c
				c.Status, c.Step = st, step
				whole, brief := CasesExport.Row(n, c), CasesExport.Row(n, c.Brief())
				if !reflect.DeepEqual(whole, brief) {
					t.Fatalf("the row of the brief case:\n%v\nof the whole case:\n%v", brief, whole)
				}
			})
		}
	}
}

// fill sets every field of v, recursively, to a value other than its
// zero, strings to path (the field's place), so that a row reading a field
// Brief drops differs.
func fill(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(len(path)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(len(path)) / 3)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), path+"[0]")
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(len(path)) * time.Minute)))
			return
		}
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				fill(f, path+"."+v.Type().Field(i).Name)
			}
		}
	}
}

// TestNamesSideBySide: a workbook's sheets are read at once
// (xlsx.WriteTables), each naming campaigns as met: the names read by one
// are kept for all without a race on them (concurrent writes to a map end
// the program; go test -race sees any).
func TestNamesSideBySide(t *testing.T) {
	var asked atomic.Int64
	names := Names{mu: &sync.Mutex{}, campaigns: map[int64]string{}, campaign: func(id int64) (string, error) {
		asked.Add(1)
		return "活动" + strconv.FormatInt(id, 10), nil
	}}
	byCampaign := Export[int64]{Title: "活动", Columns: []xlsx.Column{col("活动")},
		Row: func(n Names, id int64) []any { return []any{n.Campaign(id)} }}
	var tables []xlsx.Table
	for i := range 4 {
		ex := byCampaign
		ex.Title += strconv.Itoa(i)
		tables = append(tables, StreamRows(LedgerBookMaxRows, names, ex, func(fn func(int64) error) error {
			for id := range int64(20_000) {
				if err := fn(id%2000 + 1); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	if err := xlsx.WriteTables(io.Discard, tables); err != nil {
		t.Fatal(err)
	}
	if len(names.campaigns) != 2000 || names.campaigns[7] != "活动7" {
		t.Errorf("%d campaigns named (7: %q), want 2000", len(names.campaigns), names.campaigns[7])
	}
	if n := asked.Load(); n < 2000 || n > 4*2000 {
		t.Errorf("campaigns read %d times, want each once a sheet at most", n)
	}
}
