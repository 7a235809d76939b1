package archive_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
	"minyi/register"
)

func TestPersonalData(t *testing.T) {
	contact := archive.Contact{Name: "巴特尔", Phone: "13900001234", IDNumber: "150624198001011234"}
	place := archive.Location{Township: "乌兰镇", Village: "巴音村", Address: "乌兰镇巴音村3组12号"}
	tests := []struct {
		name    string
		text    string
		contact archive.Contact
		want    string // kind:text of each span, in order
	}{
		{"clean text", "您好，新生儿落户请带出生医学证明和户口簿到户籍窗口办理。", contact, ""},
		{"the name greets", "巴特尔您好，您反映的问题已解决。", contact, "name:巴特尔"},
		{"the name in traditional characters", "巴特爾您好。", contact, "name:巴特爾"},
		{"a traditional name in simplified text", "巴特尔同志", archive.Contact{Name: "巴特爾"}, "name:巴特尔"},
		{"the family name alone is no name", "巴家的事已办好。", archive.Contact{Name: "巴"}, ""},
		{"an anonymous citizen's details are not looked for", "巴特尔", archive.Contact{Anonymous: true}, ""},
		{"the citizen's phone", "请拨13900001234联系", contact, "phone:13900001234"},
		{"any mobile", "联系人电话 138 1234 5678。", archive.Contact{}, "phone:138 1234 5678"},
		{"a mobile with +86", "+8613812345678", archive.Contact{}, "phone:+8613812345678"},
		{"full-width digits", "电话：１３８１２３４５６７８", archive.Contact{}, "phone:１３８１２３４５６７８"},
		{"a landline", "户籍室电话0477-6211234", archive.Contact{}, "phone:0477-6211234"},
		{"a landline in brackets", "(0477)6211234", archive.Contact{}, "phone:(0477)6211234"},
		{"the citizen's ID number", "身份证150624198001011234已补办", contact, "id_number:150624198001011234"},
		{"any ID number", "身份证号15062419800101123X", archive.Contact{}, "id_number:15062419800101123X"},
		{"an old 15-digit ID", "证号150624800101123", archive.Contact{}, "id_number:150624800101123"},
		{"short service numbers are fine", "请拨打110、96110或12123。", archive.Contact{}, ""},
		{"a date is no phone", "2021年10月18日、20211018", archive.Contact{}, ""},
		{"the address", "民警已到乌兰镇巴音村3组12号走访。", contact, "address:乌兰镇巴音村3组12号"},
		{"the address after the village", "巴音村3组12号的邻居", contact, "address:巴音村3组12号"},
		{"the house alone", "3组12号门前", contact, "address:3组12号"},
		{"township and village are public", "乌兰镇巴音村的路灯已修好。", contact, ""},
		{"one part of a name of several", "巴特尔您好", archive.Contact{Name: "乌力吉·巴特尔"}, "name:巴特尔"},
		{"a name of several without its dot", "乌力吉巴特尔您好", archive.Contact{Name: "乌力吉·巴特尔"}, "name:乌力吉巴特尔"},
		{"a name given with a space", "王芳您好", archive.Contact{Name: "王 芳"}, "name:王芳"},
		{"a name spaced out in the text", "王　芳您好", archive.Contact{Name: "王芳"}, "name:王　芳"},
		{"a comma ends a name", "请联系老李，明天办理", archive.Contact{Name: "李明"}, ""},
		{"a Latin name", "Dear Li Wei,", archive.Contact{Name: "Li Wei"}, "name:Li Wei"},
		{"a Latin name keeps its space", "12 Liwei Road", archive.Contact{Name: "Li Wei"}, ""},
		{"the citizen's phone with dots", "请拨139.0000.1234", contact, "phone:139.0000.1234"},
		{"the citizen's ID number grouped", "证号150624 19800101 1234", contact, "id_number:150624 19800101 1234"},
		{"the family name and a title", "王先生您好，已办结。", archive.Contact{Name: "王小明"}, "name:王先生"},
		{"a compound family name and a title", "欧阳女士您好", archive.Contact{Name: "欧阳娜娜"}, "name:欧阳女士"},
		{"another family's title", "李先生您好", archive.Contact{Name: "王小明"}, ""},
		{"a name of several parts has no family name", "乌先生", archive.Contact{Name: "乌力吉·巴特尔"}, ""},
		{"several at once", "巴特尔您好，您的电话13900001234已登记。", contact, "name:巴特尔 phone:13900001234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range archive.PersonalData(tt.text, tt.contact, place) {
				if r := []rune(tt.text); string(r[s.Start:s.End]) != s.Text {
					t.Errorf("span %d–%d is %q in the text, not %q", s.Start, s.End, string(r[s.Start:s.End]), s.Text)
				}
				got = append(got, s.Kind+":"+s.Text)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("PersonalData(%q) = %q, want %q", tt.text, g, tt.want)
			}
		})
	}
}

// TestDeskVersion: an answer that greets the citizen by name is answered
// but kept off the desk; publishing it is refused, naming the field and
// the span; an edited public version publishes, and the desk shows it.
func TestDeskVersion(t *testing.T) {
	now := time.Date(2021, 3, 4, 10, 0, 0, 0, calendar.Zone)
	p := archive.Policy{Calendar: calendar.Default()}
	leader := register.ActorFor(org.User{Name: "leader", Role: org.RoleLeader})
	it, _ := archive.NewItem(archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
		Text: "我是巴特尔，孩子落户要什么材料？", Publish: true,
		Contact: archive.Contact{Name: "巴特尔", Phone: "13900001234"}}, now, p, nil, archive.Citizen, "")
	it.UnitCode = "a"
	step := func(it archive.Item, cmd archive.Command) (archive.Item, error) {
		evs, err := archive.Decide(it, cmd, leader, now, p, nil)
		for _, e := range evs {
			it = archive.Apply(it, e)
		}
		return it, err
	}
	for _, a := range []archive.Action{archive.ActDispatch, archive.ActSign} {
		var err error
		if it, err = step(it, archive.Command{Action: a, Unit: "a"}); err != nil {
			t.Fatal(a, err)
		}
	}
	it, err := step(it, archive.Command{Action: archive.ActAnswer, Body: "巴特尔您好，请带出生医学证明。"})
	if err != nil || it.Status != archive.StatusAnswered || it.PublicReply == "" {
		t.Fatalf("answer: %v %+v", err, it)
	}
	if it.OnDesk() {
		t.Fatalf("an answer naming the citizen went on the desk: %+v", it)
	}
	yes := true
	tests := []struct {
		name   string
		desk   *archive.DeskVersion
		fields string // the refused fields, or "" when it publishes
	}{
		{"as written (the title is the text cut short)", nil, "desk.answer desk.text desk.title"},
		{"answer edited", &archive.DeskVersion{Answer: "您好，请带出生医学证明。"}, "desk.text desk.title"},
		{"a phone in the title", &archive.DeskVersion{Title: "电话13812345678", Text: "孩子落户要什么材料？", Answer: "您好，请带出生医学证明。"}, "desk.title"},
		{"all edited", &archive.DeskVersion{Title: "孩子落户材料", Text: "孩子落户要什么材料？", Answer: "您好，请带出生医学证明。"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after, err := step(it, archive.Command{Action: archive.ActSetPublish, Publish: &yes, Desk: tt.desk})
			var fields []string
			if err != nil {
				msg := err.Error()
				for _, f := range []string{"desk.answer", "desk.text", "desk.title"} {
					if strings.Contains(msg, f+":") {
						fields = append(fields, f)
					}
				}
				if strings.Contains(tt.fields, "desk.answer") && !strings.Contains(msg, "“巴特尔”") {
					t.Errorf("the refusal does not name the span: %v", msg)
				}
			}
			if got := strings.Join(fields, " "); got != tt.fields {
				t.Fatalf("refused fields %q, want %q (%v)", got, tt.fields, err)
			}
			if tt.fields != "" {
				return
			}
			got := fmt.Sprint(after.OnDesk(), after.DeskTitle, after.DeskText, after.DeskAnswer)
			if want := fmt.Sprint(true, tt.desk.Title, tt.desk.Text, tt.desk.Answer); got != want {
				t.Errorf("published %q, want %q", got, want)
			}
		})
	}
}

// BenchmarkOpen311Reply checks the replies of a page of 200 Open311
// requests, as GET requests.json does.
func BenchmarkOpen311Reply(b *testing.B) {
	it := archive.Item{Contact: archive.Contact{Name: "王小明", Phone: "13900002222", IDNumber: "150624198001011234"},
		Location: archive.Location{Township: "乌兰镇", Village: "巴音村", Address: "乌兰镇巴音村3组12号"}}
	reply := "您好，您反映的护照补办问题已核实：请携带本人身份证、户口簿和近期两寸照片到县公安局出入境接待大厅办理，" +
		"工作日上午八点半至十二点、下午两点半至六点受理，如有疑问请拨打出入境窗口电话咨询。感谢您对公安工作的支持！"
	for b.Loop() {
		for range 200 {
			it.Open311Reply(reply)
		}
	}
}
