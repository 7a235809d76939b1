package outbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"minyi/notify"
)

// Formats of a webhook's calls: minyi's signed JSON of every event it
// subscribes to (Payload), or a chat robot's markdown message of the
// alerts (notify.Alert) of its unit: a 企业微信 (WeCom) group robot or a 钉钉
// (DingTalk) group robot.
const (
	FormatMinyi    = "minyi"
	FormatWeCom    = "wecom"
	FormatDingTalk = "dingtalk"
)

// Formats lists the formats in the order the admin page offers them.
var Formats = []string{FormatMinyi, FormatWeCom, FormatDingTalk}

// Robot reports whether the webhook is a chat robot, told of alerts
// rather than events.
func (w Webhook) Robot() bool { return w.Format == FormatWeCom || w.Format == FormatDingTalk }

// WantsAlert reports whether the robot w is told of alert a: alerts of
// its unit (every unit's when it names none), except an officer's own
// assignment, which is theirs alone.
func (w Webhook) WantsAlert(a notify.Alert) bool {
	return w.Robot() && a.Kind != notify.KindAssigned && (w.Unit == "" || w.Unit == a.Unit)
}

// kindNames are the alerts' names in the robots' messages (Chinese: the
// groups are the bureau's).
var kindNames = map[notify.Kind]string{
	notify.KindDispatched: "新派单", notify.KindAssigned: "指定承办", notify.KindDueSoon: "即将到期",
	notify.KindOverdue: "已超期", notify.KindRedo: "重办", notify.KindSupervised: "督办", notify.KindDigest: "每日汇总",
	notify.KindCitizenAdded: "群众补充", notify.KindWithdrawn: "群众撤回",
}

// RobotMessage returns the title and markdown text of alert a for a chat
// robot; unitName names a.Unit. It carries the item's number and masked
// title, never a citizen's contact.
func RobotMessage(a notify.Alert, unitName string) (title, text string) {
	if unitName == "" {
		unitName = a.Unit
	}
	name := kindNames[a.Kind]
	var b strings.Builder
	if a.Kind == notify.KindDigest {
		title = "【民意】" + unitName + " " + a.Title + " " + name
		fmt.Fprintf(&b, "### %s\n", mdEscape(title))
		for _, k := range notify.DigestKinds {
			fmt.Fprintf(&b, "- %s：**%s** 件\n", kindNames[k], a.Data[string(k)])
		}
		return title, b.String()
	}
	title = "【民意】" + name + " " + a.Record
	fmt.Fprintf(&b, "### %s\n", mdEscape(title))
	fmt.Fprintf(&b, "> %s\n\n", mdEscape(a.Title))
	fmt.Fprintf(&b, "- 承办单位：%s\n", mdEscape(unitName))
	if !a.DueAt.IsZero() {
		fmt.Fprintf(&b, "- 办理期限：%s\n", a.DueAt.In(chinaTime).Format("2006-01-02 15:04"))
	}
	return title, b.String()
}

var chinaTime = time.FixedZone("CST", 8*3600)

// mdEscape keeps a title from breaking the message's markdown (a line
// break, a heading, a link).
func mdEscape(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "[", "［", "]", "］", "<", "＜", ">", "＞", "#", "＃", "*", "＊").Replace(s)
}

// RobotBody is the JSON body of a robot's call for alert a in format.
func RobotBody(format string, a notify.Alert, unitName string) string {
	title, text := RobotMessage(a, unitName)
	var v any
	switch format {
	case FormatWeCom:
		v = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": text}}
	default:
		v = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": title, "text": text}}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// DingTalkSign returns the signature DingTalk's robots check when their
// security setting is 加签: the HMAC-SHA256 of "<timestamp>\n<secret>"
// keyed with the secret, in base64 (the caller URL-encodes it);
// timestamp is in milliseconds.
func DingTalkSign(secret string, timestamp int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// robotURL is where a robot's call goes: a DingTalk robot with a secret
// gets timestamp and sign added to its address.
func robotURL(hook Webhook, now time.Time) string {
	if hook.Format != FormatDingTalk || hook.Secret == "" {
		return hook.URL
	}
	ts := now.UnixMilli()
	sep := "&"
	if !strings.Contains(hook.URL, "?") {
		sep = "?"
	}
	return hook.URL + sep + "timestamp=" + strconv.FormatInt(ts, 10) + "&sign=" + url.QueryEscape(DingTalkSign(hook.Secret, ts))
}

// robotError reads a robot's answer: both answer 200 with a JSON errcode,
// not 0 when the message was refused (a bad key, a wrong signature, too
// many messages a minute).
func robotError(body []byte) error {
	var r struct {
		Code *int   `json:"errcode"`
		Msg  string `json:"errmsg"`
	}
	if json.Unmarshal(body, &r) != nil || r.Code == nil || *r.Code == 0 {
		return nil
	}
	msg := r.Msg
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return fmt.Errorf("robot refused the message: errcode %d %s", *r.Code, strings.ToValidUTF8(msg, ""))
}
