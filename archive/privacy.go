package archive

import (
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"minyi"
	"minyi/textsearch"
)

// Kinds of personal data that PersonalData finds in text meant for the public.
const (
	FoundName     = "name"      // the citizen's own name
	FoundPhone    = "phone"     // the citizen's phone, or anything shaped like a phone number
	FoundIDNumber = "id_number" // the citizen's ID number, or any long run of digits like one
	FoundAddress  = "address"   // the citizen's address, finer than township and village
)

// Span is one stretch of text that looks like personal data; Start and End
// count characters (runes), End exclusive.
type Span struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Finding is a Span in one field of a public version (title, text, answer).
type Finding struct {
	Field string `json:"field"`
	Span
}

// Phone and ID number shapes. Go's regexp has no look-behind, so the
// characters around a match are checked by digitsAround.
var (
	// A mainland mobile, maybe after +86, maybe grouped 3-4-4.
	mobileShape = regexp.MustCompile(`(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}`)
	// A landline with its area code: 0477-6211234, (0477)6211234, 010 12345678.
	landlineShape = regexp.MustCompile(`(?:\(0[0-9]{2,3}\)|0[0-9]{2,3})[- ]?[0-9]{7,8}`)
	// A resident ID number (18 characters, the last maybe X; or the old
	// 15 digits), or any longer run of digits such as a bank card.
	idShape = regexp.MustCompile(`[0-9]{17}[0-9Xx]|[0-9]{15,}`)
)

// minShapeDigits is the fewest digits a phone or ID number shape holds: a
// landline's 0, two more of its area code and seven.
const minShapeDigits = 10

// minMatchRunes is the shortest name or address part looked for: a single
// character (a family name alone) would match all over ordinary text.
const minMatchRunes = 2

// MaskPersonalData replaces each span PersonalData finds in text with
// ****: what is said of an item to many readers (alerts in chat groups,
// questionnaire results and their exports) names nobody.
func MaskPersonalData(text string, c Contact, l Location) string {
	spans := PersonalData(text, c, l)
	if len(spans) == 0 {
		return text
	}
	rs := []rune(text)
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		b.WriteString(string(rs[at:sp.Start]))
		b.WriteString("****")
		at = sp.End
	}
	b.WriteString(string(rs[at:]))
	return b.String()
}

// PersonalData finds in text the citizen's own name, phone, ID number and
// address (c, l), and anything shaped like a phone or ID number. The
// township and village alone are not personal: the desk may say where a
// matter is, not at which door. Traditional and simplified characters and
// full-width digits count as the same, so 巴特爾 is found for 巴特尔.
// Spans do not overlap and come in text order.
func PersonalData(text string, c Contact, l Location) []Span {
	orig := []rune(text)
	folded := foldRunes(orig)
	var spans []Span
	add := func(kind string, start, end int) {
		for _, s := range spans {
			if start < s.End && s.Start < end {
				return // already found as part of something longer
			}
		}
		spans = append(spans, Span{Kind: kind, Start: start, End: end, Text: string(orig[start:end])})
	}
	// The citizen's own details are looked for with the separators left
	// out on both sides (squeeze), so that spacing or dotting them does not
	// hide them: 王芳 in 王 芳, 150624 19800101 1234 as the ID number.
	compact, at := squeeze(folded)
	literal := func(kind, s string) {
		needle, _ := squeeze(foldRunes([]rune(s)))
		if len(needle) < minMatchRunes {
			return
		}
		for i := 0; i+len(needle) <= len(compact); i++ {
			if slices.Equal(compact[i:i+len(needle)], needle) {
				add(kind, at[i], at[i+len(needle)-1]+1)
			}
		}
	}
	if !c.Anonymous {
		literal(FoundIDNumber, c.IDNumber)
		literal(FoundPhone, c.Phone)
		literal(FoundName, c.Name)
		for _, part := range nameParts(c.Name) {
			literal(FoundName, part)
		}
		// A greeting names the citizen by the family name and a title:
		// 王先生 for 王小明, which the name alone does not find.
		for _, family := range familyNames(c.Name) {
			for _, title := range honorifics {
				literal(FoundName, family+title)
			}
		}
	}
	// The address as given, then without the township and village that
	// start it, so that "巴音村3组12号" and "3组12号" are both found; but
	// never the township or village alone.
	coarse := []string{"", l.Township, l.Village, l.Township + l.Village}
	addr := strings.TrimSpace(l.Address)
	for _, prefix := range []string{"", l.Township, l.Village} {
		addr = strings.TrimPrefix(addr, strings.TrimSpace(prefix))
		if !slices.Contains(coarse, addr) {
			literal(FoundAddress, addr)
		}
	}
	// The shapes are matched on the folded text with one byte per rune, so
	// byte offsets are rune offsets.
	ascii := make([]byte, len(folded))
	digits := 0
	for i, r := range folded {
		if r < utf8.RuneSelf {
			ascii[i] = byte(r)
		} else {
			ascii[i] = '_'
		}
		if '0' <= r && r <= '9' {
			digits++
		}
	}
	if digits < minShapeDigits {
		ascii = nil // no shape fits: most replies hold no number that long
	}
	for _, shape := range []struct {
		kind string
		re   *regexp.Regexp
	}{{FoundIDNumber, idShape}, {FoundPhone, mobileShape}, {FoundPhone, landlineShape}} {
		for _, m := range shape.re.FindAllIndex(ascii, -1) {
			if !digitsAround(ascii, m[0], m[1]) {
				add(shape.kind, m[0], m[1])
			}
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	return spans
}

// isSeparator reports whether r only separates the parts of a name,
// number or address: a space, a middle dot, a hyphen or dash, a full stop.
// Commas and the like end a phrase, so 李，明天 holds no 李明.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("·•‧・･-‐‑‒–—―._", r)
}

// isLatin reports whether r is a folded Latin letter.
func isLatin(r rune) bool { return 'a' <= r && r <= 'z' }

// squeeze leaves out the separators of folded text, keeping one space
// between two Latin letters (Li Wei is not liwei, which "Ali Weiss" holds),
// and returns where each rune kept stands in rs.
func squeeze(rs []rune) (out []rune, at []int) {
	for i := 0; i < len(rs); i++ {
		if !isSeparator(rs[i]) {
			out, at = append(out, rs[i]), append(at, i)
			continue
		}
		j := i
		for j < len(rs) && isSeparator(rs[j]) {
			j++
		}
		if len(out) > 0 && j < len(rs) && isLatin(out[len(out)-1]) && isLatin(rs[j]) {
			out, at = append(out, ' '), append(at, i)
		}
		i = j - 1
	}
	return out, at
}

// nameParts are the parts of a name written in several (乌力吉·巴特尔), each
// of which names the citizen alone: an answer may greet 巴特尔. Latin parts
// are left out: a short one such as Li is in too many words.
func nameParts(name string) []string {
	parts := strings.FieldsFunc(name, isSeparator)
	if len(parts) < 2 {
		return nil
	}
	var out []string
	for _, p := range parts {
		if strings.IndexFunc(p, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
			out = append(out, p)
		}
	}
	return out
}

// honorifics are the titles that follow a family name when staff greet or
// speak of a citizen: 王先生, 李女士, 张师傅.
var honorifics = []string{"先生", "女士", "小姐", "同志", "师傅", "大爷", "大妈", "阿姨", "大哥", "大姐", "老师"}

// familyNames are what a Chinese name written in one piece (two to four
// characters) may start with as its family name: the first character, and
// the first two for a compound one (欧阳 of 欧阳娜娜). A name of other
// letters or of several parts is not greeted this way.
func familyNames(name string) []string {
	rs := []rune(strings.TrimSpace(name))
	if len(rs) < 2 || len(rs) > 4 || strings.IndexFunc(string(rs), func(r rune) bool { return !unicode.Is(unicode.Han, r) }) >= 0 {
		return nil
	}
	if len(rs) == 2 {
		return []string{string(rs[:1])}
	}
	return []string{string(rs[:1]), string(rs[:2])}
}

// digitsAround reports whether a match is part of a longer run of digits,
// such as the middle of a 20-digit number, which then is not the shape.
func digitsAround(b []byte, start, end int) bool {
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	return (start > 0 && isDigit(b[start-1])) || (end < len(b) && isDigit(b[end]))
}

// foldRunes folds each character on its own as search does (full-width to
// ASCII, traditional to simplified, lower case), keeping one rune for one,
// so that positions in the folded text are positions in the original.
func foldRunes(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[i] = foldRune(r)
	}
	return out
}

// folded remembers foldRune for the characters of the Basic Multilingual
// Plane (0 = not yet folded): Open311 checks the reply of every request it
// lists, and folding through textsearch.Normalize costs a conversion per
// character. A fixed table bounds the memory whatever text comes.
var folded [0x10000]atomic.Int32

// foldRune is r folded on its own, or r when it folds to several runes.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	if r < rune(len(folded)) {
		if f := folded[r].Load(); f != 0 {
			return f
		}
	}
	f := r
	if rs := []rune(textsearch.Normalize(string(r))); len(rs) == 1 {
		f = rs[0]
	}
	if r < rune(len(folded)) {
		folded[r].Store(f)
	}
	return f
}

// DeskVersion is what the online desk shows of an item: a public title, the
// question and the answer, reviewed so that they name nobody. It is kept
// apart from what the citizen and the officer wrote, which may greet the
// citizen by name.
type DeskVersion struct {
	Title  string `json:"title,omitempty"`
	Text   string `json:"text,omitempty"`
	Answer string `json:"answer,omitempty"`
}

// DeskDraft is the public version to review: the one published before,
// else what the citizen and the officer wrote.
func (it Item) DeskDraft() DeskVersion {
	v := DeskVersion{Title: it.DeskTitle, Text: it.DeskText, Answer: it.DeskAnswer}
	if v.Title == "" {
		v.Title = it.Title
	}
	if v.Text == "" {
		v.Text = it.Text
	}
	if v.Answer == "" {
		v.Answer = it.PublicReply
	}
	return v
}

// edited is v with the fields staff wrote in e, each checked as text.
func (v DeskVersion) edited(p *minyi.Problems, e DeskVersion) DeskVersion {
	for _, f := range []struct {
		field    string
		dst      *string
		src      string
		maxRunes int
	}{{"desk.title", &v.Title, e.Title, MaxTitleRunes}, {"desk.text", &v.Text, e.Text, MaxTextRunes}, {"desk.answer", &v.Answer, e.Answer, MaxTextRunes}} {
		if s := checkText(p, f.field, f.src, f.maxRunes, false); s != "" {
			*f.dst = s
		}
	}
	return v
}

// data is v as an event's data.
func (v DeskVersion) data() map[string]string {
	return map[string]string{"desk_title": v.Title, "desk_text": v.Text, "desk_answer": v.Answer}
}

// CheckDesk finds the personal data of the item's citizen, and anything
// shaped like a phone or ID number, in a public version of it.
func (it Item) CheckDesk(v DeskVersion) []Finding {
	var out []Finding
	for _, f := range []struct{ field, text string }{{"title", v.Title}, {"text", v.Text}, {"answer", v.Answer}} {
		for _, s := range PersonalData(f.text, it.Contact, it.Location) {
			out = append(out, Finding{Field: f.field, Span: s})
		}
	}
	return out
}

var foundLabels = map[string][2]string{
	FoundName:     {"姓名", "name"},
	FoundPhone:    {"电话号码", "phone number"},
	FoundIDNumber: {"证件号码", "ID number"},
	FoundAddress:  {"住址", "address"},
}

// addFindings names each field of the public version holding personal
// data, with the spans found, as problems of the fields desk.title,
// desk.text and desk.answer.
func addFindings(p *minyi.Problems, findings []Finding) {
	var order []string
	zh, en := map[string][]string{}, map[string][]string{}
	for _, f := range findings {
		if _, ok := zh[f.Field]; !ok {
			order = append(order, f.Field)
		}
		l := foundLabels[f.Kind]
		zh[f.Field] = append(zh[f.Field], l[0]+"“"+f.Text+"”（第"+itoa(f.Start+1)+"–"+itoa(f.End)+"字）")
		en[f.Field] = append(en[f.Field], l[1]+" “"+f.Text+"” (characters "+itoa(f.Start+1)+"–"+itoa(f.End)+")")
	}
	for _, field := range order {
		p.Add("desk."+field, "公开版本含有个人信息，请修改后再公开："+strings.Join(zh[field], "、"),
			"the public version holds personal data; edit it before publishing: "+strings.Join(en[field], ", "))
	}
}
