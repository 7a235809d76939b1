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

// TestOneImportAtATime: a server reads one workbook at a time; the next
// waits for it up to ImportWait and is then refused with 429, Retry-After
// and a message in Chinese and English, or goes on once the slot is free.
func TestOneImportAtATime(t *testing.T) {
	defer func(w time.Duration) { ImportWait = w }(ImportWait)
	ImportWait = 50 * time.Millisecond
	s := &Base{importing: make(chan struct{}, 1)}
	ctx := context.Background()
	if err := s.awaitImport(ctx); err != nil {
		t.Fatalf("the first import: %v", err)
	}
	tests := []struct {
		name    string
		release time.Duration // when the first import ends; 0: not meanwhile
		want    string        // the second's error code; "" goes on
	}{
		{"refused while the first is read", 0, minyi.ETooMany},
		{"goes on once the first ends", 10 * time.Millisecond, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.release > 0 {
				time.AfterFunc(tt.release, func() { <-s.importing })
			}
			start := time.Now()
			err := s.awaitImport(ctx)
			if got := minyi.ErrorCode(err); got != tt.want {
				t.Fatalf("the second import: %v, want %q", err, tt.want)
			}
			if err == nil {
				return
			}
			if waited := time.Since(start); waited < ImportWait {
				t.Errorf("refused after %v, before waiting %v", waited, ImportWait)
			}
			w := httptest.NewRecorder()
			if st := Status(w, err); st != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
				t.Errorf("answered %d, Retry-After %q", st, w.Header().Get("Retry-After"))
			}
			if msg := minyi.ErrorMessage(err); !strings.Contains(msg, "另一个导入正在进行") || !strings.Contains(msg, "another import is under way") {
				t.Errorf("message %q", msg)
			}
		})
	}
	// A caller gone while it waits stops waiting.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.awaitImport(gone); err == nil {
		t.Error("a cancelled import took the slot")
	}
}
