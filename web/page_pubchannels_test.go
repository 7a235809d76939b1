package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// channelRows is the publicity channels' editor sent with rows of code,
// Chinese and English.
func channelRows(rows ...[3]string) url.Values {
	f := url.Values{"section": {"channels"}}
	for _, r := range rows {
		f["channel_code"] = append(f["channel_code"], r[0])
		f["channel_zh"] = append(f["channel_zh"], r[1])
		f["channel_en"] = append(f["channel_en"], r[2])
	}
	return f
}

// TestAdminSettingsChannels walks the channels' editor: a bad row refused
// beside it with what was typed kept and nothing stored, a good list stored
// and shown again.
func TestAdminSettingsChannels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.loggedIn(t, "admin")
		if body := admin.open("/staff/admin/settings"); !strings.Contains(body, `value="wechat"`) || !strings.Contains(body, `value="微信公众号"`) {
			t.Fatalf("the editor does not start from the defaults")
		}
		tests := []struct {
			name   string
			rows   [][3]string
			status int
			errRow string // the row whose error is shown beside it
		}{
			{"a code in capitals", [][3]string{{"douyin", "抖音", "Douyin"}, {"WeChat", "微信", "WeChat"}}, http.StatusBadRequest, "2"},
			{"a row without its Chinese name", [][3]string{{"douyin", "抖音", "Douyin"}, {}, {"wechat", "", "WeChat"}}, http.StatusBadRequest, "3"},
			{"good, with a blank row", [][3]string{{"douyin", "抖音", "Douyin"}, {}, {"wechat", "微信公众号", "WeChat official account"}, {}}, http.StatusSeeOther, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := admin.submit("/staff/admin/settings", "/staff/admin/settings", channelRows(tt.rows...))
				if p.status != tt.status {
					t.Fatalf("save: %d %s", p.status, p.body)
				}
				if tt.errRow == "" {
					return
				}
				if !strings.Contains(p.body, `id="channel-err-`+tt.errRow+`"`) || !strings.Contains(p.body, `value="抖音"`) {
					t.Errorf("the refusal is not beside row %s or the rows typed are lost: %s", tt.errRow, p.body)
				}
				if body := admin.open("/staff/admin/settings"); strings.Contains(body, `value="douyin"`) {
					t.Errorf("a refused list was stored")
				}
			})
		}
		body := admin.open("/staff/admin/settings")
		if !strings.Contains(body, `value="douyin"`) || strings.Contains(body, `value="short_video"`) || !strings.Contains(body, `value="cattle"`) {
			t.Fatalf("the page does not show the list saved (and the outcomes as they were)")
		}
	})
}
