package register

import (
	"strings"
	"testing"
	"time"

	"minyi"
)

func TestVersionWords(t *testing.T) {
	item := Noun{"件", "item"}
	point := Noun{"便民服务站点", "service point"}
	for _, tc := range []struct {
		err  error
		code string
		msg  string
	}{
		{MissingVersion(), minyi.EInvalid, "version is required"},
		{Stale(point), minyi.EConflict, "该便民服务站点在您打开后已有变动（他人修改，或同一表单提交了两次），请刷新后重试 / this service point changed after you opened it (someone else changed it, or the same form was sent twice); reload and try again"},
		{StaleVersion(item, 2, 3), minyi.EConflict, "该件在您打开后已有变动（您的版本2，当前版本3），请刷新后重试 / the item has changed since you opened it (your version 2, current 3); reload and retry"},
	} {
		if got := minyi.ErrorCode(tc.err); got != tc.code {
			t.Errorf("%v: code %q, want %q", tc.err, got, tc.code)
		}
		if !strings.Contains(tc.err.Error(), tc.msg) {
			t.Errorf("%v: want message %q", tc.err, tc.msg)
		}
	}
}

func TestNow(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if got := Now(func() time.Time { return at }); !got.Equal(at) {
		t.Errorf("Now(clock) = %v, want %v", got, at)
	}
	if got := Now(nil); time.Since(got) > time.Minute {
		t.Errorf("Now(nil) = %v, want about now", got)
	}
}
