package core

import (
	"context"
	"time"

	"minyi"
)

// A slot is a heavy task that a server does one at a time: an import read
// (a workbook may unpack to a hundred megabytes and more), a ledgers'
// workbook made (both cores, and two of SQLite's four readers, for
// seconds: two at once would each take twice as long and keep the pages
// waiting for a reader). The next waits its turn for a while, then is
// refused with 429 and Retry-After rather than wait longer.
type slot chan struct{}

func newSlot() slot { return make(slot, 1) }

// take takes s, waiting up to wait for it: busy when it stays taken, the
// context's error when the caller leaves first. release gives it back.
func (s slot) take(ctx context.Context, wait time.Duration, busy error) error {
	select {
	case s <- struct{}{}:
		return nil
	default:
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case s <- struct{}{}:
		return nil
	case <-timer.C:
		return busy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release gives back the slot that take took.
func (s slot) release() { <-s }

// ImportWait is how long an import waits for the one this server is
// reading to finish before it is refused (errImportBusy).
var ImportWait = 5 * time.Second

// errImportBusy refuses an import while another one is read: 429 with
// Retry-After, the caller sends it again shortly.
var errImportBusy = &minyi.Error{Code: minyi.ETooMany, RetryAfter: 10 * time.Second,
	Message: "另一个导入正在进行，请稍后重试 / another import is under way; try again shortly"}

// WorkbookWait is how long a ledgers' workbook waits for the one this
// server is making to be made (its sending is not waited for) before it is
// refused (errWorkbookBusy): a year's of a million-item archive takes
// about three seconds, three years' about eight.
var WorkbookWait = 20 * time.Second

// errWorkbookBusy refuses a ledgers' workbook while others are made: 429
// with Retry-After.
var errWorkbookBusy = &minyi.Error{Code: minyi.ETooMany, RetryAfter: 10 * time.Second,
	Message: "另一份台账正在生成，请稍后重试 / another ledgers' workbook is being made; try again shortly"}
