package archive

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minyi/calendar"
)

// NoticeKind names a message sent to a citizen about their item.
type NoticeKind string

// The notices a citizen receives. Each is caused by one event and written in
// the same transaction, so none is lost and none is invented.
const (
	NoticeReceipt   NoticeKind = "receipt"   // 受理回執: number and access code
	NoticeReply     NoticeKind = "reply"     // 公開回覆
	NoticeExtension NoticeKind = "extension" // 延期
	NoticeRate      NoticeKind = "rate"      // 已答覆，請評價
	NoticeClosed    NoticeKind = "closed"    // 已銷號
)

// Delivery states of notices and webhook deliveries.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed" // gave up after the last attempt
)

// Notice is one message to a citizen (an SMS) and the record of its delivery.
type Notice struct {
	ID         int64      `json:"id"`
	ItemID     int64      `json:"-"`
	ItemNumber string     `json:"item"`
	EventSeq   int64      `json:"event_seq"`
	Kind       NoticeKind `json:"kind"`
	Phone      string     `json:"phone"`
	Body       string     `json:"-"`    // as sent; holds the access code of a receipt
	Display    string     `json:"body"` // as shown to staff: the access code blanked
	Status     string     `json:"status"`
	Attempts   int        `json:"attempts"`
	LastError  string     `json:"last_error,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at,omitempty"`

	// vars fill the template when the item's number is known (Render).
	vars map[string]string
}

// IdempotencyKey names the notice to an SMS gateway, so a retry after a
// crash between sending and recording is recognised as the same message.
func (n Notice) IdempotencyKey() string {
	return "minyi-notice-" + n.ItemNumber + "-" + string(n.Kind) + "-" + strconv.FormatInt(n.EventSeq, 10)
}

// NoticeSettings are what the templates need besides the item.
type NoticeSettings struct {
	Bureau   string // signature, e.g. 鄂托克旗公安局
	TrackURL string // where citizens follow their item, e.g. https://…/track
}

// noticeTemplates are the Chinese texts, short enough for one or two SMS.
// {code} is the access code, shown only in the receipt.
var noticeTemplates = map[NoticeKind]string{
	NoticeReceipt:   "【{bureau}】您的留言已受理，编号{number}，查询码{code}，请妥善保管。办理期限{due}。查询进度：{url}",
	NoticeReply:     "【{bureau}】您的留言（编号{number}）有新回复：{text}。详情：{url}",
	NoticeExtension: "【{bureau}】您的留言（编号{number}）办理期限延长至{due}，我们会尽快办结。详情：{url}",
	NoticeRate:      "【{bureau}】您的留言（编号{number}）已答复：{text}。请凭编号和查询码评价是否满意：{url}",
	NoticeClosed:    "【{bureau}】您的留言（编号{number}）已办结销号，感谢您的支持与监督。",
}

// noticeTextLimit keeps replies quoted in an SMS short; the whole reply is
// on the tracking page.
const noticeTextLimit = 60

// NoticesFor returns the notices an event causes on the item after it. code
// is the access code, known only when the item is received. A citizen who
// gave no phone, or wrote anonymously, is sent nothing.
func NoticesFor(after Item, e Event, code string, s NoticeSettings) []Notice {
	if !after.Contact.Reachable() {
		return nil
	}
	vars := map[string]string{"bureau": s.Bureau, "url": s.TrackURL, "due": formatDue(after.DueAt)}
	var kind NoticeKind
	switch e.Type {
	case EventReceived:
		kind, vars["code"] = NoticeReceipt, code
	case EventReplied:
		if !e.Public {
			return nil
		}
		kind, vars["text"] = NoticeReply, excerpt(e.Body, noticeTextLimit)
	case EventAnswered:
		kind, vars["text"] = NoticeRate, excerpt(after.PublicReply, noticeTextLimit)
	case EventExtensionGranted:
		kind = NoticeExtension
	case EventClosed:
		kind = NoticeClosed
	default:
		return nil
	}
	return []Notice{{Kind: kind, Phone: after.Contact.Phone, Status: DeliveryPending, vars: vars}}
}

// Render fills the notice's texts once the item's number is known (it is
// assigned as the item is stored).
func (n *Notice) Render(number string) {
	n.ItemNumber = number
	vars := n.vars
	fill := func(code string) string {
		pairs := []string{"{number}", number, "{code}", code}
		for k, v := range vars {
			if k != "code" {
				pairs = append(pairs, "{"+k+"}", v)
			}
		}
		return strings.NewReplacer(pairs...).Replace(noticeTemplates[n.Kind])
	}
	n.Body = fill(vars["code"])
	n.Display = fill(blankCode)
}

// blankCode stands for the access code in what staff see of a notice.
const blankCode = "********"

// MaskedPhone is the notice's phone as staff without need to know see it.
func (n Notice) MaskedPhone() string { return MaskContact(Contact{Phone: n.Phone}).Phone }

// Redact blanks in text (such as an SMS gateway's error, which may echo
// what it was sent) the notice's text as sent, its access code and its
// phone number.
func (n Notice) Redact(text string) string {
	if text == "" {
		return ""
	}
	var pairs []string
	if n.Body != "" && n.Body != n.Display {
		pairs = append(pairs, n.Body, n.Display)
	}
	// The access code is where the text as sent differs from Display's blank.
	if prefix, suffix, ok := strings.Cut(n.Display, blankCode); ok &&
		len(n.Body) > len(prefix)+len(suffix) && strings.HasPrefix(n.Body, prefix) && strings.HasSuffix(n.Body, suffix) {
		pairs = append(pairs, n.Body[len(prefix):len(n.Body)-len(suffix)], blankCode)
	}
	if n.Phone != "" {
		pairs = append(pairs, n.Phone, n.MaskedPhone())
	}
	if len(pairs) == 0 {
		return text
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

func formatDue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Zone).Format("2006年1月2日15:04")
}

func excerpt(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit]) + "…"
}
