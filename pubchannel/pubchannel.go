// Package pubchannel is the list of channels a bureau reports its publicity
// by (宣传报道渠道: mainstream media, WeChat official account, short video,
// …): a codelist.List of entries with names in Chinese and English. A
// bureau keeps its own list as a setting (Field, publicity_channels), one
// channel a line `code|中文|English`; without one the Defaults apply.
//
// A channel dropped from the list stays readable: pieces published on it
// keep it, are still listed and counted (publicity.channel_<code>), and may
// be corrected without changing their channel; only new pieces, and pieces
// moved to another channel, must name a channel listed now. Dropping a
// channel is thus never refused, and no record changes when the list does.
//
// The package is apart from publicity so that the settings' checks
// (archive.Config) can name it without importing the register.
package pubchannel

import "minyi/codelist"

// Channel is one publicity channel.
type Channel = codelist.Entry

// Defaults are the channels of a bureau that set none, in the order the
// periodic report names them; their codes are those pieces could always
// name, so existing data stays valid.
var Defaults = []Channel{
	{Code: "mainstream_media", Zh: "主流媒体", En: "mainstream media"},
	{Code: "wechat", Zh: "微信公众号", En: "WeChat official account"},
	{Code: "short_video", Zh: "短视频", En: "short video"},
	{Code: "radio_tv", Zh: "广播电视", En: "radio and television"},
	{Code: "newspaper", Zh: "报纸", En: "newspaper"},
	{Code: "website", Zh: "网站", En: "website"},
}

// MaxChannels is how many channels a bureau may configure: forms offer each.
const MaxChannels = 30

// Field is the setting's name and its field in errors; a line's errors name
// it as publicity_channels.<line>, numbered from 1.
const Field = "publicity_channels"

// CodePattern is what a channel's code looks like: ASCII, so that it can
// be a figure's name (publicity.channel_<code>) and a query parameter.
const CodePattern = codelist.CodePattern

// List is the channels' list: a spreadsheet may name a channel by its
// code, Chinese or English name.
var List = &codelist.List[Channel]{
	Field: Field, Defaults: Defaults, Max: MaxChannels, FindEnglish: true,
	TooMany: func(max string) (string, string) {
		return "宣传渠道最多" + max + "个", "at most " + max + " publicity channels"
	},
}

// ValidCode reports whether s has the form of a channel's code; whether
// the bureau lists it is another matter (Find).
func ValidCode(s string) bool { return codelist.ValidCode(s) }

// Codes returns the channels' codes in order.
func Codes(cs []Channel) []string { return List.Codes(cs) }

// Find returns the channel whose code, Chinese or English name is s
// (微信公众号 or wechat), so that a spreadsheet may name it either way.
func Find(cs []Channel, s string) (Channel, bool) { return List.Find(cs, s) }

// Format writes channels as the setting keeps them, one `code|中文|English`
// a line.
func Format(cs []Channel) string { return List.Format(cs) }

// Parse reads the setting: an empty one is the Defaults; every problem
// names its line (publicity_channels.<n>).
func Parse(text string) ([]Channel, error) { return List.Parse(text) }

// Check is the setting's check: the list as stored, or why it cannot be one.
func Check(text string) (string, error) { return List.Check(text) }
