package ledgerimport

import (
	"reflect"
	"testing"

	"minyi/org"
)

func TestParseDay(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2021-09-13", "2021-09-13", true},
		{"2021/9/13", "2021-09-13", true},
		{"2021.09.13", "2021-09-13", true},
		{"2021年9月13日", "2021-09-13", true},
		{"2021-09-13 08:30:00", "2021-09-13", true},
		{"44452", "2021-09-13", true},    // Excel's serial day
		{"44452.75", "2021-09-13", true}, // a date and time
		{"2021-02-30", "", false},
		{"13/09/2021", "", false},
		{"0", "", false},
		{"九月十三", "", false},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, ok := parseDay(c.in)
			if got != c.want || ok != c.ok {
				t.Errorf("parseDay(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

// cellRow is a row of the volunteer sheet holding one cell.
func cellRow(field, v string) *row {
	return &row{n: 7, cells: map[string]string{field: v}, spec: specs[Volunteers],
		refs: &refs{units: []org.Unit{{Code: "a", Name: "城关派出所"}}, branches: []org.Branch{{Code: "a1", Name: "一支部", UnitCode: "a"}, {Code: "b1", Name: "一支部", UnitCode: "b"}},
			users: []org.User{{Name: "wang", DisplayName: "王警官"}, {Name: "li1", DisplayName: "李军"}, {Name: "li2", DisplayName: "李军"}}}}
}

// Every reading of a cell, and its problem named by row and column.
func TestCells(t *testing.T) {
	for _, c := range []struct {
		name, field, cell string
		read              func(*row) any
		want              any
		problem           string // the column of the problem; "" none
	}{
		{"integer", "volunteers", "53", func(r *row) any { return r.integer("volunteers") }, 53, ""},
		{"integer as Excel stores it", "volunteers", "53.0", func(r *row) any { return r.integer("volunteers") }, 53, ""},
		{"not an integer", "volunteers", "5.5", func(r *row) any { return r.integer("volunteers") }, 0, "志愿者人数"},
		{"number", "hours", "2.5", func(r *row) any { return *r.number("hours") }, 2.5, ""},
		{"not a number", "hours", "两小时", func(r *row) any { return r.number("hours") == nil }, true, "服务时长（小时）"},
		{"list", "participants", "王警官、wang, li1；li2", func(r *row) any { return r.list("participants") }, []string{"王警官", "wang", "li1", "li2"}, ""},
		{"unit by name", "unit", "城关派出所", func(r *row) any { return r.unit("unit") }, "a", ""},
		{"unit by name, traditional", "unit", "城關派出所", func(r *row) any { return r.unit("unit") }, "a", ""},
		{"unit by code", "unit", "a", func(r *row) any { return r.unit("unit") }, "a", ""},
		{"no such unit", "unit", "丙派出所", func(r *row) any { return r.unit("unit") }, "", "单位"},
		{"branch of the unit by name", "branch", "一支部", func(r *row) any { return r.branch("branch", "b") }, "b1", ""},
		{"no such branch", "branch", "三支部", func(r *row) any { return r.branch("branch", "a") }, "", "党支部"},
		{"staff by name", "participants", "王警官", func(r *row) any { return r.people("participants") }, []string{"wang"}, ""},
		{"two of that name", "participants", "李军", func(r *row) any { return r.people("participants") }, []string{}, "参加民警"},
		{"no such member", "participants", "钱警官", func(r *row) any { return r.people("participants") }, []string{}, "参加民警"},
		{"yes", "title", "是", func(r *row) any { return r.yes("title") }, true, ""},
		{"no", "title", "否", func(r *row) any { return r.yes("title") }, false, ""},
		{"neither", "title", "也许", func(r *row) any { return r.yes("title") }, false, "活动名称"},
		{"class by word", "title", "揪心事", func(r *row) any { return r.choice("title", classChoices) }, "hopeful", ""},
		{"class in traditional", "title", "揪心事（盼事速辦）", func(r *row) any { return r.choice("title", classChoices) }, "hopeful", ""},
		{"class by code", "title", "Urgent", func(r *row) any { return r.choice("title", classChoices) }, "urgent", ""},
		{"no such class", "title", "急事", func(r *row) any { return r.choice("title", classChoices) }, "", "活动名称"},
		{"outcomes", "title", "cattle=5、sheep：53", func(r *row) any { return r.outcomes("title") }, map[string]int64{"cattle": 5, "sheep": 53}, ""},
		{"bad outcomes", "title", "牛五头", func(r *row) any { return r.outcomes("title") == nil }, true, "活动名称"},
		{"bad date", "date", "2021-13-01", func(r *row) any { return r.day("date") }, "", "活动日期"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := cellRow(c.field, c.cell)
			if got := c.read(r); !reflect.DeepEqual(got, c.want) {
				t.Errorf("read %q = %#v, want %#v", c.cell, got, c.want)
			}
			switch {
			case c.problem == "" && len(r.errors) > 0:
				t.Errorf("problems %+v", r.errors)
			case c.problem != "" && (len(r.errors) != 1 || r.errors[0].Column != c.problem || r.errors[0].Row != 7 ||
				r.errors[0].MessageZh == "" || r.errors[0].MessageEn == ""):
				t.Errorf("problems %+v, want one in row 7 column %s", r.errors, c.problem)
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	sp := specs[Matters]
	for _, c := range []struct{ field, want string }{
		{"title", "标题"}, {"beneficiary", "受益对象类型"}, {"beneficiary.phone", "受益对象电话"},
		{"outcomes.cattle", "成效数量"}, {"done_on", "办结日期"}, {"nothing", ""}, {"", ""},
	} {
		if got := sp.header(c.field); got != c.want {
			t.Errorf("header(%q) = %q, want %q", c.field, got, c.want)
		}
	}
	for in, want := range map[string]string{"标题*": "标题", "* 标题": "标题", "标题（必填）": "标题", " 办理时限（工作日） ": "办理时限（工作日）"} {
		if got := headerName(in); got != want {
			t.Errorf("headerName(%q) = %q, want %q", in, got, want)
		}
	}
}
