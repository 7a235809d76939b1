package store_test

import (
	"context"
	"errors"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/pubchannel"
	"minyi/publicity"
	"minyi/reporting"
	"minyi/store"
)

// TestPublicityConfiguredChannels: the channels a bureau sets are those a
// new piece may name, read at once; a channel dropped from the list stays
// on the pieces published on it, which can still be read, corrected and
// counted, while no piece may be moved onto it.
func TestPublicityConfiguredChannels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		maFixture(t, db)
		svc := &publicity.Service{Store: db, Settings: db, Now: testkit.NewClock(vaNow).Now}
		cfg := archive.NewConfig(db, nil)
		operator := org.Operator("test")

		if cs, err := svc.Channels(bg); err != nil || len(cs) != len(pubchannel.Defaults) {
			t.Fatalf("channels never set: %v, %v", cs, err)
		}
		if _, err := cfg.SetSetting(bg, maOfficerA, pubchannel.Field, "douyin|抖音|Douyin"); minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("an officer sets the channels: %v", err)
		}
		var e *minyi.Error
		if _, err := cfg.SetSetting(bg, operator, pubchannel.Field, "wechat|微信公众号|WeChat\nDouyin|抖音|Douyin"); !errors.As(err, &e) ||
			e.Fields[0].Field != "publicity_channels.2" {
			t.Errorf("a bad line: %v", err)
		}
		if _, err := cfg.SetSetting(bg, operator, pubchannel.Field, "wechat|微信公众号|WeChat official account\ndouyin|抖音|Douyin"); err != nil {
			t.Fatal(err)
		}

		douyin := puPiece("2021-09-13", "抖音上的反诈短片")
		douyin.Channel = "douyin"
		got, err := svc.Create(bg, maOfficerA, douyin)
		if err != nil {
			t.Fatalf("a piece on a channel the bureau added: %v", err)
		}
		video := puPiece("2021-09-14", "短视频")
		video.Channel = publicity.ChannelShortVideo
		if _, err := svc.Create(bg, maOfficerA, video); !errors.As(err, &e) || e.Fields[0].Field != "channel" {
			t.Errorf("a piece on a channel the bureau dropped: %v", err)
		}
		f, err := svc.Figures(bg, reporting.Filter{From: "2021-01-01", To: "2021-12-31"})
		if err != nil || f["channel_douyin"] != 1 || f["pieces"] != 1 {
			t.Errorf("figures with the bureau's channels: %v, %v", f, err)
		}
		if _, ok := f["channel_wechat"]; !ok {
			t.Errorf("a listed channel without pieces is not zero in the figures: %v", f)
		}

		// Douyin dropped: its piece stays readable, correctable and counted.
		if _, err := cfg.SetSetting(bg, operator, pubchannel.Field, "wechat|微信公众号|WeChat official account"); err != nil {
			t.Fatal(err)
		}
		title := "抖音上的反诈短片（更正）"
		got, err = svc.Update(bg, maOfficerA, got.ID, got.Version, publicity.Patch{Title: &title})
		if err != nil || got.Channel != "douyin" {
			t.Fatalf("a piece on a dropped channel corrected: %+v, %v", got, err)
		}
		if name, err := svc.ChannelName(bg, got.Channel); err != nil || name.Zh != "douyin" {
			t.Errorf("a dropped channel's name: %+v, %v", name, err)
		}
		if page, err := svc.List(bg, maOfficerA, publicity.Filter{Channel: "douyin"}); err != nil || *page.Total != 1 {
			t.Errorf("pieces on a dropped channel listed: %v", err)
		}
		if f, err = svc.Figures(bg, reporting.Filter{}); err != nil || f["channel_douyin"] != 1 {
			t.Errorf("a dropped channel's pieces counted: %v, %v", f, err)
		}
		other := puPiece("2021-09-15", "微信文章")
		if other, err = svc.Create(bg, maOfficerA, other); err != nil {
			t.Fatal(err)
		}
		moved := publicity.Channel("douyin")
		if _, err := svc.Update(bg, maOfficerA, other.ID, other.Version, publicity.Patch{Channel: &moved}); !errors.As(err, &e) || e.Fields[0].Field != "channel" {
			t.Errorf("a piece moved onto a dropped channel: %v", err)
		}
		if _, err := svc.List(bg, maOfficerA, publicity.Filter{Channel: "抖音"}); minyi.ErrorCode(err) != minyi.EInvalid {
			t.Errorf("a list by a channel that is no code: %v", err)
		}
	})
}
