package publicity

import (
	"errors"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/internal/testkit"
)

var now = time.Date(2021, 11, 2, 23, 30, 0, 0, calendar.Zone)

func TestValidate(t *testing.T) {
	ok := Piece{Date: "2021-11-02", Channel: ChannelWeChat, Outlet: " 平安鄂托克 ", Title: " 民警进牧区 ",
		Link: "https://mp.weixin.qq.com/s/x", Unit: "a", Matters: []int64{3, 3, 4}}
	tests := []struct {
		name   string
		change func(*Piece)
		want   string // the fields named, comma-separated, sorted
	}{
		{"valid", func(*Piece) {}, ""},
		{"no link (print)", func(p *Piece) { p.Link, p.Channel = "", ChannelNewspaper }, ""},
		{"every channel", func(p *Piece) { p.Channel = ChannelRadioTV }, ""},
		{"no date", func(p *Piece) { p.Date = "" }, "date"},
		{"bad date", func(p *Piece) { p.Date = "2021/11/02" }, "date"},
		{"tomorrow in China", func(p *Piece) { p.Date = "2021-11-03" }, "date"},
		{"too early", func(p *Piece) { p.Date = "1999-12-31" }, "date"},
		{"no channel", func(p *Piece) { p.Channel = "" }, "channel"},
		{"channel that is no code", func(p *Piece) { p.Channel = "Tik Tok" }, "channel"},
		{"no outlet", func(p *Piece) { p.Outlet = " " }, "outlet"},
		{"no title", func(p *Piece) { p.Title = "" }, "title"},
		{"long title", func(p *Piece) { p.Title = strings.Repeat("字", MaxTitleRunes+1) }, "title"},
		{"javascript link", func(p *Piece) { p.Link = "javascript:alert(1)" }, "link"},
		{"ftp link", func(p *Piece) { p.Link = "ftp://example.com/a" }, "link"},
		{"link without host", func(p *Piece) { p.Link = "https:///a" }, "link"},
		{"relative link", func(p *Piece) { p.Link = "/news/1" }, "link"},
		{"no unit", func(p *Piece) { p.Unit = "" }, "unit"},
		{"bad matter id", func(p *Piece) { p.Matters = []int64{0} }, "matters"},
		{"too many matters", func(p *Piece) {
			for i := 0; i <= MaxMatters; i++ {
				p.Matters = append(p.Matters, int64(i+1))
			}
		}, "matters"},
		{"control characters", func(p *Piece) { p.Note = "备\x00注" }, "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.change(&p)
			_, err := p.Validate(now)
			if got := strings.Join(testkit.Fields(err), ","); got != tt.want {
				t.Errorf("fields %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
	got, err := ok.Validate(now)
	if err != nil || got.Title != "民警进牧区" || got.Outlet != "平安鄂托克" || len(got.Matters) != 2 {
		t.Errorf("cleaned %+v %v", got, err)
	}
}

func TestChanged(t *testing.T) {
	before := Piece{ID: 7, Date: "2021-11-01", Channel: ChannelWeChat, Outlet: "平安鄂托克", Title: "巡逻", Unit: "a", Matters: []int64{1}}
	if _, ok := before.Changed(before, "li"); ok {
		t.Error("no change is an event")
	}
	after := before
	after.Channel, after.Matters = ChannelShortVideo, []int64{1, 2}
	e, ok := after.Changed(before, "li")
	if !ok || e.Type != EventChanged || e.Register != Register || e.RecordID != 7 || e.Actor != "li" ||
		e.Data["channel"] != "short_video" || e.Data["matters"] != "1,2" || len(e.Data) != 2 {
		t.Errorf("event %+v", e)
	}
	if r := before.Recorded(); r.Type != EventRecorded || r.Data["title"] != "巡逻" || r.Data["outlet"] != "平安鄂托克" {
		t.Errorf("recorded %+v", r)
	}
}

// TestMessagesNameTheField: each problem names its field in both languages.
func TestMessagesNameTheField(t *testing.T) {
	_, err := Piece{Date: "2021-11-02", Channel: ChannelWeChat, Outlet: "x", Title: "y", Unit: "a", Link: "mailto:a@b"}.Validate(now)
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "link" ||
		e.Fields[0].Zh != "链接须为http或https网址" || e.Fields[0].En != "link must be an http or https URL" {
		t.Errorf("problems %+v (%v)", e, err)
	}
}
