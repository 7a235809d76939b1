package pubchannel

import (
	"errors"
	"slices"
	"testing"

	"minyi"
)

// The list's rules are codelist's (its TestParse); these are the channels'
// own: the defaults, the field errors name, finding a channel by its
// English name.
func TestParse(t *testing.T) {
	if cs, err := Parse(" \n"); err != nil || !slices.Equal(Codes(cs), Codes(Defaults)) {
		t.Fatalf("Parse(blank) = %v, %v; want the defaults", cs, err)
	}
	_, err := Parse("wechat|微信|WeChat\nweixin|微信|Weixin")
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "publicity_channels.2" {
		t.Fatalf("Parse(repeated name) = %v; want publicity_channels.2", err)
	}
}

func TestFind(t *testing.T) {
	cs, err := Parse("douyin|抖音|Douyin\nwechat|微信公众号|WeChat official account")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, code string }{
		{"抖音", "douyin"}, {"douyin", "douyin"}, {"DOUYIN", "douyin"},
		{" wechat official account ", "wechat"}, {"网站", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if c, ok := Find(cs, tt.name); c.Code != tt.code || ok != (tt.code != "") {
				t.Errorf("Find(%q) = %v, %v; want %q", tt.name, c, ok, tt.code)
			}
		})
	}
}
