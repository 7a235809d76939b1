package store_test

import (
	"errors"
	"slices"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// cannedFixture stores two categories and a mix of canned replies; it
// returns them keyed by title.
func cannedFixture(t *testing.T, db *store.DB) map[string]archive.CannedReply {
	t.Helper()
	for _, c := range []archive.Category{
		{Code: "hukou", Name: "户籍", Limit: calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}, Active: true},
		{Code: "traffic", Name: "交通", Limit: calendar.Limit{Amount: 5, Unit: calendar.WorkingDays}, Active: true},
	} {
		if err := archive.NewConfig(db, nil).AddCategory(ctx, org.Operator("test"), &c); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]archive.CannedReply{}
	for _, c := range []archive.CannedReply{
		{CategoryCode: "hukou", Title: "新生儿落户", Body: "请携带出生医学证明、父母户口簿和身份证到户籍窗口办理。", Active: true},
		{CategoryCode: "traffic", Title: "违停处理", Body: "已通知辖区交警中队核查处理。", Active: true},
		{Title: "感谢来信", Body: "感谢您对公安工作的关心和支持。", Active: true},
		{CategoryCode: "hukou", Title: "旧的答复", Body: "已停用的答复。", Active: false},
		{CategoryCode: "hukou", Title: "迁移户口", Body: "  跨省迁移已实行“一站式”办理。\n请带身份证。  ", Active: true},
	} {
		if err := archive.NewConfig(db, nil).AddCannedReply(ctx, org.Operator("test"), &c); err != nil {
			t.Fatalf("add %q: %v", c.Title, err)
		}
		if c.ID == 0 {
			t.Fatalf("add %q: no id", c.Title)
		}
		out[c.Title] = c
	}
	return out
}

func titles(rs []archive.CannedReply) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Title
	}
	return out
}

func TestCannedRepliesByCategory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		want := cannedFixture(t, db)
		tests := []struct {
			category string
			want     []string
		}{
			{"hukou", []string{"新生儿落户", "迁移户口", "感谢来信"}},
			{"traffic", []string{"违停处理", "感谢来信"}},
			{"", []string{"感谢来信"}},
			{"nope", []string{"感谢来信"}},
		}
		for _, tc := range tests {
			t.Run("category="+tc.category, func(t *testing.T) {
				got, err := db.CannedReplies(ctx, tc.category)
				if err != nil {
					t.Fatal(err)
				}
				if g := titles(got); !slices.Equal(g, tc.want) {
					t.Fatalf("got %q, want %q", g, tc.want)
				}
				for _, r := range got {
					if r != want[r.Title] {
						t.Errorf("got %+v, want %+v", r, want[r.Title])
					}
				}
			})
		}
		t.Run("stored trimmed", func(t *testing.T) {
			if b := want["迁移户口"].Body; b != "跨省迁移已实行“一站式”办理。\n请带身份证。" {
				t.Errorf("body %q", b)
			}
		})
		t.Run("all includes inactive", func(t *testing.T) {
			all, err := db.AllCannedReplies(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != len(want) {
				t.Fatalf("got %q, want all %d", titles(all), len(want))
			}
			for _, r := range all {
				if r != want[r.Title] {
					t.Errorf("got %+v, want %+v", r, want[r.Title])
				}
			}
		})
	})
}

func TestUpdateCannedReply(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		want := cannedFixture(t, db)
		c := want["违停处理"]
		c.CategoryCode, c.Title, c.Body, c.Active = "hukou", "户籍答复", "已转户籍窗口。", true
		if err := archive.NewConfig(db, nil).ChangeCannedReply(ctx, org.Operator("test"), c); err != nil {
			t.Fatal(err)
		}
		got, err := db.CannedReplies(ctx, "hukou")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range got {
			found = found || r == c
		}
		if !found {
			t.Fatalf("changed reply not listed for hukou: %+v", got)
		}
		if got, _ := db.CannedReplies(ctx, "traffic"); len(got) != 1 {
			t.Errorf("traffic still has %q", titles(got))
		}
		c.Active = false
		if err := db.UpdateCannedReply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.CannedReplies(ctx, "hukou"); len(got) != 3 {
			t.Errorf("deactivated reply still offered: %q", titles(got))
		}
		err = db.UpdateCannedReply(ctx, archive.CannedReply{ID: 9999, Title: "x", Body: "y"})
		if minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("updating a missing reply: %v", err)
		}
	})
}

func TestBadCannedReplyChangesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		want := cannedFixture(t, db)
		long := make([]rune, archive.MaxCannedTitleRunes+1)
		for i := range long {
			long[i] = '长'
		}
		tests := []struct {
			name  string
			reply archive.CannedReply
			field string
		}{
			{"no title", archive.CannedReply{Body: "内容"}, "title"},
			{"blank body", archive.CannedReply{Title: "标题", Body: "  \n "}, "body"},
			{"title too long", archive.CannedReply{Title: string(long), Body: "内容"}, "title"},
			{"control character", archive.CannedReply{Title: "标题", Body: "a\u0007b"}, "body"},
			{"bad category code", archive.CannedReply{CategoryCode: "Hu Kou", Title: "标题", Body: "内容"}, "category"},
			{"unknown category", archive.CannedReply{CategoryCode: "nope", Title: "标题", Body: "内容"}, "category"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				add := tc.reply
				err := archive.NewConfig(db, nil).AddCannedReply(ctx, org.Operator("test"), &add)
				checkField(t, err, tc.field)
				changed := tc.reply
				changed.ID = want["感谢来信"].ID
				checkField(t, archive.NewConfig(db, nil).ChangeCannedReply(ctx, org.Operator("test"), changed), tc.field)
				all, err := db.AllCannedReplies(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != len(want) {
					t.Fatalf("a refused reply was stored: %q", titles(all))
				}
				for _, r := range all {
					if r != want[r.Title] {
						t.Fatalf("a refused change was stored: %+v", r)
					}
				}
			})
		}
	})
}

func checkField(t *testing.T, err error, field string) {
	t.Helper()
	var e *minyi.Error
	if !errors.As(err, &e) || e.Code != minyi.EInvalid || len(e.Fields) != 1 || e.Fields[0].Field != field {
		t.Fatalf("got %v, want an invalid %q", err, field)
	}
}
