package web_test

import (
	"context"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/pubchannel"
	"minyi/store"
)

// TestAPIConfiguredChannels: GET /api/v1/meta lists the publicity channels
// the bureau has now; a piece may be recorded on one of them and not on a
// channel the bureau dropped, and the summary counts each listed channel.
func TestAPIConfiguredChannels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		metaChannels := func() []any {
			st, b := e.do("GET", "/api/v1/meta", "officer-a", nil)
			if st != 200 {
				t.Fatalf("meta: %d %v", st, b)
			}
			return b["publicity_channels"].([]any)
		}
		if got := metaChannels(); len(got) != len(pubchannel.Defaults) || got[1].(map[string]any)["zh"] != "微信公众号" {
			t.Fatalf("the default channels: %v", got)
		}
		if _, err := archive.NewConfig(db, nil).SetSetting(context.Background(), org.Operator("test"), pubchannel.Field,
			"wechat|微信公众号|WeChat official account\ndouyin|抖音|Douyin"); err != nil {
			t.Fatal(err)
		}
		if got := metaChannels(); len(got) != 2 || got[1].(map[string]any)["code"] != "douyin" {
			t.Fatalf("configured channels in meta: %v", got)
		}
		tests := []struct {
			name    string
			channel string
			status  int
		}{
			{"a channel the bureau added", "douyin", 201},
			{"a channel the bureau dropped", "short_video", 400},
			{"a channel it never had", "tiktok", 400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st, b := e.do("POST", "/api/v1/publicity", "officer-a", map[string]any{"date": "2021-09-13", "channel": tt.channel,
					"outlet": "鄂托克公安", "title": "反诈短片", "unit": "a"})
				if st != tt.status || (st == 400 && fieldsOf(b)["channel"] == nil) {
					t.Fatalf("record: %d %v", st, b)
				}
			})
		}
		st, b := e.do("GET", "/api/v1/ledgers/summary?from=2021-01-01&to=2021-12-31", "leader", nil)
		f, _ := b["figures"].(map[string]any)["publicity"].(map[string]any)
		if st != 200 || f["channel_douyin"] != float64(1) || f["channel_wechat"] != float64(0) || f["pieces"] != float64(1) {
			t.Fatalf("summary: %d %v", st, b)
		}
	})
}
