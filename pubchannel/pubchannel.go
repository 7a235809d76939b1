// Package pubchannel is the list of channels a bureau reports its publicity
// by (宣传报道渠道: mainstream media, WeChat official account, short video,
// …): each a code with its names in Chinese and English. A bureau keeps its
// own list as a setting (Field, publicity_channels), one channel a line
// `code|中文|English`; without one the Defaults apply.
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

import (
	"regexp"
	"strconv"
	"strings"

	"minyi"
)

// Channel is one publicity channel.
type Channel struct {
	Code string `json:"code"` // ASCII, e.g. wechat
	Zh   string `json:"zh"`   // simplified Chinese, e.g. 微信公众号
	En   string `json:"en"`   // English, e.g. WeChat official account
}

// Defaults are the channels of a bureau that set none, in the order the
// periodic report names them; their codes are those pieces could always
// name, so existing data stays valid.
var Defaults = []Channel{
	{"mainstream_media", "主流媒体", "mainstream media"},
	{"wechat", "微信公众号", "WeChat official account"},
	{"short_video", "短视频", "short video"},
	{"radio_tv", "广播电视", "radio and television"},
	{"newspaper", "报纸", "newspaper"},
	{"website", "网站", "website"},
}

// MaxChannels is how many channels a bureau may configure: forms offer each.
const MaxChannels = 30

// Field is the setting's name and its field in errors; a line's errors name
// it as publicity_channels.<line>, numbered from 1.
const Field = "publicity_channels"

// CodePattern is what a channel's code looks like: ASCII, so that it can
// be a figure's name (publicity.channel_<code>) and a query parameter.
const CodePattern = `^[a-z][a-z0-9_]{0,31}$`

var codePattern = regexp.MustCompile(CodePattern)

// ValidCode reports whether s has the form of a channel's code; whether
// the bureau lists it is another matter (Find).
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Codes returns the channels' codes in order.
func Codes(cs []Channel) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

// Find returns the channel whose code, Chinese or English name is s
// (微信公众号 or wechat), so that a spreadsheet may name it either way.
func Find(cs []Channel, s string) (Channel, bool) {
	s = strings.TrimSpace(s)
	for _, c := range cs {
		if c.Code == s || c.Zh == s || strings.EqualFold(c.En, s) {
			return c, true
		}
	}
	return Channel{}, false
}

// Format writes channels as the setting keeps them, one `code|中文|English`
// a line.
func Format(cs []Channel) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.Code + "|" + c.Zh + "|" + c.En + "\n")
	}
	return b.String()
}

// Parse reads the setting: an empty one is the Defaults. Blank lines are
// skipped; every problem names its line (publicity_channels.<n>).
func Parse(text string) ([]Channel, error) {
	if strings.TrimSpace(text) == "" {
		return Defaults, nil
	}
	var (
		p    minyi.Problems
		cs   []Channel
		seen = map[string]int{}
	)
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := strconv.Itoa(i + 1)
		field := Field + "." + n
		parts := strings.Split(line, "|")
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		if len(parts) > 3 {
			p.Add(field, "第"+n+"行多于3项：代码|中文名|英文名", "line "+n+" has more than 3 parts: code|Chinese|English")
			continue
		}
		c := Channel{strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])}
		switch {
		case !codePattern.MatchString(c.Code):
			p.Add(field, "第"+n+"行的代码须以小写英文字母开头，只含小写字母、数字和下划线，最多32个字符",
				"line "+n+": the code must start with a lowercase letter and hold only lowercase letters, digits and _, at most 32")
		case seen[c.Code] > 0:
			p.Add(field, "第"+n+"行的代码"+c.Code+"与第"+strconv.Itoa(seen[c.Code])+"行重复",
				"line "+n+": code "+c.Code+" repeats line "+strconv.Itoa(seen[c.Code]))
		case c.Zh == "" || len([]rune(c.Zh)) > 20:
			p.Add(field, "第"+n+"行须有中文名（最多20字）", "line "+n+" needs a Chinese name (at most 20 characters)")
		case seen["zh:"+c.Zh] > 0:
			p.Add(field, "第"+n+"行的中文名"+c.Zh+"与第"+strconv.Itoa(seen["zh:"+c.Zh])+"行重复",
				"line "+n+": Chinese name "+c.Zh+" repeats line "+strconv.Itoa(seen["zh:"+c.Zh]))
		case c.En == "" || len(c.En) > 60:
			p.Add(field, "第"+n+"行须有英文名（最多60个字符）", "line "+n+" needs an English name (at most 60 characters)")
		default:
			seen[c.Code], seen["zh:"+c.Zh] = i+1, i+1
			cs = append(cs, c)
		}
	}
	if len(cs) > MaxChannels {
		p.Add(Field, "宣传渠道最多"+strconv.Itoa(MaxChannels)+"个", "at most "+strconv.Itoa(MaxChannels)+" publicity channels")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return Defaults, nil
	}
	return cs, nil
}

// Check is the setting's check: the list as stored (each line trimmed, in
// the one form Format writes), or why it cannot be one.
func Check(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	cs, err := Parse(text)
	if err != nil {
		return "", err
	}
	return Format(cs), nil
}
