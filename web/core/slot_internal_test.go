package core

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/org"
	"minyi/xlsx"
)

// TestOneAtATime: a server reads one import and makes one ledgers'
// workbook at a time; the next waits for it up to its wait and is then
// refused with 429, Retry-After and a message in Chinese and English, or
// goes on once the slot is free; a caller gone while it waits stops
// waiting.
func TestOneAtATime(t *testing.T) {
	defer func(w time.Duration) { ImportWait = w }(ImportWait)
	defer func(w time.Duration) { WorkbookWait = w }(WorkbookWait)
	ImportWait, WorkbookWait = 50*time.Millisecond, 50*time.Millisecond
	s := NewBase(Services{}, Config{}, nil, nil)
	for _, task := range []struct {
		name   string
		slot   slot
		wait   time.Duration
		busy   error
		zh, en string
	}{
		{"import", s.importing, ImportWait, errImportBusy, "另一个导入正在进行", "another import is under way"},
		{"workbook", s.workbooks, WorkbookWait, errWorkbookBusy, "另一份台账正在生成", "another ledgers' workbook is being made"},
	} {
		t.Run(task.name, func(t *testing.T) {
			ctx := context.Background()
			if err := task.slot.take(ctx, task.wait, task.busy); err != nil {
				t.Fatalf("the first: %v", err)
			}
			tests := []struct {
				name    string
				release time.Duration // when the first ends; 0: not meanwhile
				want    string        // the second's error code; "" goes on
			}{
				{"refused while the first is under way", 0, minyi.ETooMany},
				{"goes on once the first ends", 10 * time.Millisecond, ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if tt.release > 0 {
						time.AfterFunc(tt.release, task.slot.release)
					}
					start := time.Now()
					err := task.slot.take(ctx, task.wait, task.busy)
					if got := minyi.ErrorCode(err); got != tt.want {
						t.Fatalf("the second: %v, want %q", err, tt.want)
					}
					if err == nil {
						return
					}
					if waited := time.Since(start); waited < task.wait {
						t.Errorf("refused after %v, before waiting %v", waited, task.wait)
					}
					w := httptest.NewRecorder()
					if st := Status(w, err); st != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
						t.Errorf("answered %d, Retry-After %q", st, w.Header().Get("Retry-After"))
					}
					if msg := minyi.ErrorMessage(err); !strings.Contains(msg, task.zh) || !strings.Contains(msg, task.en) {
						t.Errorf("message %q", msg)
					}
				})
			}
			gone, cancel := context.WithCancel(ctx)
			cancel()
			if err := task.slot.take(gone, task.wait, task.busy); err == nil {
				t.Error("a caller gone took the slot")
			}
			task.slot.release()
		})
	}
}

// TestWorkbookSlot: while another workbook is made, a workbook asked for
// a period that is none, or for a unit the caller may not see, is refused
// at once (400, 403), not after waiting its turn; and a workbook gives the
// slot back as it begins to send, once every row is read (writeTables'
// sending), not when the caller has read it all.
func TestWorkbookSlot(t *testing.T) {
	defer func(w time.Duration) { WorkbookWait = w }(WorkbookWait)
	WorkbookWait = time.Minute
	s := NewBase(Services{}, Config{}, nil, nil)
	if err := s.workbooks.take(context.Background(), WorkbookWait, errWorkbookBusy); err != nil {
		t.Fatal(err)
	}
	officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
	for _, tt := range []struct {
		query, code string
	}{
		{"from=2024-13-01&to=2024-12-31", minyi.EInvalid},
		{"from=2020-01-01&to=2024-12-31", minyi.EInvalid},
		{"from=2024-01-01&to=2024-12-31&unit=b", minyi.EForbidden},
	} {
		start := time.Now()
		err := s.LedgerBook(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/ledgers/export?"+tt.query, nil), officer)
		if minyi.ErrorCode(err) != tt.code || time.Since(start) > 5*time.Second {
			t.Errorf("%s: %v after %v, want %s at once", tt.query, err, time.Since(start), tt.code)
		}
	}
	s.workbooks.release()

	read := false
	table := xlsx.Table{Sheet: "民意档案", Columns: []xlsx.Column{{Header: "编号"}}, Rows: func(yield func([]any) error) error {
		for i := range 3000 {
			if err := yield([]any{strconv.Itoa(i)}); err != nil {
				return err
			}
		}
		read = true
		return nil
	}}
	w := httptest.NewRecorder()
	calls := 0
	err := s.writeTables(w, FormatXLSX, "台账", "ledgers", []xlsx.Table{table}, func() {
		if calls++; !read || w.Body.Len() > 0 {
			t.Errorf("sending before the rows were read (%v) or after bytes were sent (%d)", read, w.Body.Len())
		}
	})
	if err != nil || calls != 1 || w.Body.Len() == 0 {
		t.Fatalf("sending called %d times, %d bytes sent, %v: want once, then the workbook", calls, w.Body.Len(), err)
	}
}
