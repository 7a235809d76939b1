package pubchannel

import (
	"errors"
	"slices"
	"testing"

	"minyi"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		codes []string
		field string // the field the refusal names; "" when accepted
	}{
		{"empty is the defaults", " \n", Codes(Defaults), ""},
		{"one channel", "wechat|微信公众号|WeChat official account", []string{"wechat"}, ""},
		{"blank lines skipped", "\nwechat|微信公众号|WeChat\r\n\r\ndouyin|抖音|Douyin\n", []string{"wechat", "douyin"}, ""},
		{"spaces trimmed", " website | 网站 | Website ", []string{"website"}, ""},
		{"uppercase code", "WeChat|微信|WeChat", nil, "publicity_channels.1"},
		{"chinese code", "微信|微信|WeChat", nil, "publicity_channels.1"},
		{"repeated code names its line", "wechat|微信|WeChat\nwebsite|网站|Website\nwechat|公众号|WeChat", nil, "publicity_channels.3"},
		{"repeated Chinese name", "wechat|微信|WeChat\nweixin|微信|Weixin", nil, "publicity_channels.2"},
		{"no Chinese name", "wechat||WeChat", nil, "publicity_channels.1"},
		{"no English name", "wechat|微信|", nil, "publicity_channels.1"},
		{"too many parts", "wechat|微信|WeChat|个", nil, "publicity_channels.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := Parse(tt.text)
			if tt.field == "" {
				if err != nil || !slices.Equal(Codes(cs), tt.codes) {
					t.Fatalf("Parse = %v, %v; want %v", Codes(cs), err, tt.codes)
				}
				return
			}
			var e *minyi.Error
			if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field || e.Fields[0].Zh == "" || e.Fields[0].En == "" {
				t.Fatalf("Parse error = %#v; want one naming %s in zh and en", err, tt.field)
			}
		})
	}
}

func TestCheckRoundTrips(t *testing.T) {
	stored, err := Check(" douyin | 抖音 | Douyin \nwechat|微信公众号|WeChat official account")
	if err != nil {
		t.Fatal(err)
	}
	if stored != "douyin|抖音|Douyin\nwechat|微信公众号|WeChat official account\n" {
		t.Fatalf("stored %q", stored)
	}
	cs, err := Parse(stored)
	if err != nil || Format(cs) != stored {
		t.Fatalf("Parse(Check) = %v, %v", cs, err)
	}
	for _, name := range []string{"抖音", "douyin", "DOUYIN"} {
		if c, ok := Find(cs, name); !ok || c.Code != "douyin" {
			t.Fatalf("Find(%q) = %v, %v", name, c, ok)
		}
	}
	if _, ok := Find(cs, "网站"); ok {
		t.Fatal("found a channel not listed")
	}
	if blank, err := Check("  "); blank != "" || err != nil {
		t.Fatalf("Check(blank) = %q, %v", blank, err)
	}
}
