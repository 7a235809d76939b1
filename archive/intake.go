package archive

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"minyi"
	"minyi/ratelimit"
)

// Limits on what a citizen can send.
const (
	MaxTextRunes  = 4000 // as Open311's description
	MaxTitleRunes = 80
	MaxPhotos     = 4
	MaxPhotoBytes = 5 << 20
	// MaxShortRunes bounds short fields: a name, a township, a village, a
	// category or unit code.
	MaxShortRunes = 40
	// MaxDetailRunes bounds an address, a channel's detail, a category's
	// keywords and the question of one of its attributes.
	MaxDetailRunes = 200
	// MaxDescriptionRunes bounds a category's description.
	MaxDescriptionRunes = 500
	MaxPhoneRunes       = 20
	IDNumberRunes       = 18
)

// Patterns of what intake accepts, for the API's schemas; they are valid
// regular expressions in Go (RE2) and in ECMA-262 alike, so a client's
// schema validator reads them as Validate does.
const (
	// PhonePattern is an 11-digit mobile number or a landline with its area
	// code (spaces are removed first).
	PhonePattern = `^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$`
	// IDNumberPattern is the form of a resident ID number; ValidIDNumber
	// also checks its check digit.
	IDNumberPattern = `^[0-9]{17}[0-9Xx]$`
	// TextPattern is free text as checkText accepts it: no control
	// characters but tab and line ends, no Unicode line or paragraph
	// separators. The characters are literal, not escapes, which the two
	// syntaxes spell differently.
	TextPattern = "^[^" + refusedChars + "]*$"
	// RequiredTextPattern is TextPattern holding more than white space
	// (checkText trims it).
	RequiredTextPattern = "^[^" + refusedChars + "]*[^" + refusedChars + spaceChars + "][^" + refusedChars + "]*$"
	// NonBlankPattern matches text holding more than white space, which is
	// what names that are only trimmed must be.
	NonBlankPattern = "[^" + spaceChars + "]"

	refusedChars = "\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029"
	// spaceChars are the runes unicode.IsSpace reports, which
	// strings.TrimSpace removes.
	spaceChars = "\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)

// PhotoTypes are the accepted photo formats, judged from the bytes, not the name.
var PhotoTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

// Submission is what arrives from a citizen or from staff entering a paper slip.
type Submission struct {
	Kind          Kind     `json:"kind"`
	Channel       Channel  `json:"channel"`
	ChannelDetail string   `json:"channel_detail,omitempty"`
	Class         Class    `json:"class,omitempty"`
	Category      string   `json:"category,omitempty"`
	Unit          string   `json:"unit,omitempty"` // preset by a QR code or by staff
	Title         string   `json:"title,omitempty"`
	Text          string   `json:"text"`
	Contact       Contact  `json:"contact"`
	Location      Location `json:"location"`
	Publish       bool     `json:"publish"`
	// ReceivedAt is when a slip was collected, which staff give when they
	// enter it later (at most Policy.BackdateDays back); citizens cannot set
	// it. Periods and rates count the item from this time, while its time
	// limit runs from entry (Item.EnteredAt).
	ReceivedAt *time.Time `json:"received_at,omitempty"`
	// Counted are uses of the door's abuse limits (the web layer's intake
	// limit per client address) to count with the item: see Item.Counted.
	Counted []ratelimit.Use `json:"-"`
	Photos  []Photo         `json:"-"`
	// FormToken is the page form's token (form.go): a second submission
	// with the same token returns the first one's item and access code.
	FormToken string `json:"-"`
}

var (
	phonePattern    = regexp.MustCompile(PhonePattern)
	idNumberPattern = regexp.MustCompile(IDNumberPattern)
)

// checkText validates free text: valid UTF-8, no control characters except
// newlines and tabs, at most max characters. Markup is allowed and stays text;
// output escaping is the web layer's job.
func checkText(p *minyi.Problems, field, s string, max int, required bool) string {
	if !utf8.ValidString(s) {
		p.Add(field, "含有无效的字符编码", "must be valid UTF-8")
		return ""
	}
	for _, r := range s {
		if (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') || r == '\u2028' || r == '\u2029' {
			p.Add(field, "含有不允许的控制字符", "must not contain control characters")
			return ""
		}
	}
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		p.Add(field, "不能为空", "is required")
	case n > max:
		p.Add(field, "不能超过"+itoa(max)+"字", "must be at most "+itoa(max)+" characters")
	}
	return s
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// ValidIDNumber checks a mainland resident ID number, including its check digit.
func ValidIDNumber(s string) bool {
	if !idNumberPattern.MatchString(s) {
		return false
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * weights[i]
	}
	return strings.ToUpper(s[17:]) == string("10X98765432"[sum%11])
}

// Validate checks a submission and returns it cleaned (trimmed text). staff
// says whether the sender is a member of staff, who may backdate receipt.
func (s Submission) Validate(staff bool, now time.Time) (Submission, error) {
	var p minyi.Problems
	if !s.Kind.Valid() {
		p.Add("kind", "请选择类型（建议、投诉、求助、咨询、举报、表扬）", "kind must be one of suggestion, complaint, help, consultation, report, praise")
	}
	if !s.Channel.Valid() {
		p.Add("channel", "渠道无效", "channel must be one of paper_box, online_box, qr_code, survey, forum, online_desk, visit, phone, walk_in")
	}
	if s.Class != "" && !s.Class.Valid() {
		p.Add("class", "类别无效（烦心事、忧心事、操心事、揪心事）", "class must be one of urgent, hard, worrying, hopeful")
	}
	s.Text = checkText(&p, "text", s.Text, MaxTextRunes, true)
	s.Title = checkText(&p, "title", s.Title, MaxTitleRunes, false)
	s.ChannelDetail = checkText(&p, "channel_detail", s.ChannelDetail, MaxDetailRunes, false)
	s.Category = checkText(&p, "category", s.Category, MaxShortRunes, false)
	s.Unit = checkText(&p, "unit", s.Unit, MaxShortRunes, false)

	c := &s.Contact
	c.Name = checkText(&p, "contact.name", c.Name, MaxShortRunes, false)
	c.Phone = strings.ReplaceAll(checkText(&p, "contact.phone", c.Phone, MaxPhoneRunes, false), " ", "")
	c.IDNumber = strings.ToUpper(checkText(&p, "contact.id_number", c.IDNumber, IDNumberRunes, false))
	if c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		p.Add("contact.phone", "电话号码格式不正确", "phone must be an 11-digit mobile or a landline number")
	}
	if c.IDNumber != "" && !ValidIDNumber(c.IDNumber) {
		p.Add("contact.id_number", "身份证号码不正确", "id_number is not a valid resident ID number")
	}
	if c.Anonymous && (c.Name != "" || c.Phone != "" || c.IDNumber != "") {
		p.Add("contact.anonymous", "匿名留言请不要填写姓名、电话或身份证号", "an anonymous item cannot carry a name, phone or ID number")
	}

	l := &s.Location
	l.Township = checkText(&p, "location.township", l.Township, MaxShortRunes, false)
	l.Village = checkText(&p, "location.village", l.Village, MaxShortRunes, false)
	l.Address = checkText(&p, "location.address", l.Address, MaxDetailRunes, false)
	if (l.Lat == nil) != (l.Lng == nil) {
		p.Add("location", "经纬度须同时填写", "lat and lng go together")
	}
	if l.Lat != nil && (*l.Lat < -90 || *l.Lat > 90) {
		p.Add("location.lat", "纬度须在-90到90之间", "lat must be between -90 and 90")
	}
	if l.Lng != nil && (*l.Lng < -180 || *l.Lng > 180) {
		p.Add("location.lng", "经度须在-180到180之间", "lng must be between -180 and 180")
	}
	if l.ShareLocation && s.Channel != ChannelOpen311 {
		// Only Open311 publishes an item's location (Item.PublicLocation):
		// consent given anywhere else would promise what never happens.
		p.Add("location.share_location", "只有通过开放接口（Open311）提交的诉求才能公开详细位置",
			"share_location is for requests filed through Open311 only")
	}
	if s.ReceivedAt != nil {
		switch {
		case !staff:
			p.Add("received_at", "群众留言不能指定受理时间", "only staff may set received_at")
		case s.ReceivedAt.After(now.Add(time.Minute)):
			p.Add("received_at", "受理时间不能晚于现在", "received_at cannot be in the future")
		case s.ReceivedAt.Year() < 2000:
			p.Add("received_at", "受理时间过早", "received_at is too early")
		}
	}
	s.Photos = CheckPhotos(&p, "photos", s.Photos, MaxPhotos)
	return s, p.Err()
}

// NewItem builds the first state of an item and its received event, entered
// at now. The store assigns the number and the ID. cat may be nil. The item
// counts as received (collected) at s.ReceivedAt when staff gave one, but
// its time limit starts at entry: the days a slip lay in a box are the
// bureau's data-entry lag, not the handling unit's.
func NewItem(s Submission, now time.Time, p Policy, cat *Category, actor Actor, accessHash string) (Item, Event) {
	received := now
	if s.ReceivedAt != nil {
		received = s.ReceivedAt.Truncate(time.Microsecond)
	}
	unit := s.Unit
	class := s.Class
	if cat != nil {
		if unit == "" {
			unit = cat.UnitCode
		}
		if class == "" {
			class = cat.Class
		}
	}
	title := s.Title
	if title == "" {
		title = summarise(s.Text, 30)
	}
	due, gap := p.DueAt(now, s.Kind, class, cat)
	it := Item{
		Kind: s.Kind, Channel: s.Channel, ChannelDetail: s.ChannelDetail, Class: class,
		CategoryCode: s.Category, Title: title, Text: s.Text, Status: StatusReceived,
		UnitCode: unit, Contact: s.Contact, Location: s.Location, Publish: s.Publish,
		ReceivedAt: received, EnteredAt: now, DueAt: due, CalendarGap: gap, AccessHash: accessHash,
		UpdatedAt: now, Version: 1,
	}
	data := map[string]string{"channel": string(s.Channel), "unit": unit}
	if !received.Equal(now) {
		data["received_at"] = received.Format(time.RFC3339Nano)
	}
	ev := Event{Type: EventReceived, Actor: actor.Name, At: now, To: StatusReceived, Data: data}
	return it, ev
}

// summarise cuts text to n characters at most, on one line.
func summarise(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n]) + "…"
}
