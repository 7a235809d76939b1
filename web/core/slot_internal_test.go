package core

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minyi"
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
