package store_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/store"
)

// wantProblem fails unless err has the code and, if field is not empty,
// names that field among its problems.
func wantProblem(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *minyi.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got %v, want %s", err, code)
	}
	if field == "" {
		return
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("got %v, want a problem with %q", err, field)
}

func TestUpdateUnit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for _, u := range []org.Unit{
			{Code: "bureau", Name: "县局", Kind: org.UnitBureau},
			{Code: "team", Name: "治安大队", Kind: org.UnitTeam, ParentCode: "bureau"},
			{Code: "squad", Name: "一中队", Kind: org.UnitTeam, ParentCode: "team"},
			{Code: "station", Name: "城关派出所", Kind: org.UnitStation, ParentCode: "bureau"},
		} {
			if err := org.NewService(db).AddUnit(ctx, org.Operator("test"), &u); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name        string
			unit        org.Unit
			code, field string // the error expected, if any
		}{
			{"rename and move", org.Unit{Code: "station", Name: " 城关所 ", Kind: org.UnitStation, ParentCode: "team", Township: "城关镇"}, "", ""},
			{"to the top", org.Unit{Code: "squad", Name: "一中队", Kind: org.UnitOffice}, "", ""},
			{"unknown unit", org.Unit{Code: "nope", Name: "无", Kind: org.UnitTeam}, minyi.ENotFound, ""},
			{"unknown parent", org.Unit{Code: "team", Name: "治安大队", Kind: org.UnitTeam, ParentCode: "nope"}, minyi.EInvalid, "parent_code"},
			{"own parent", org.Unit{Code: "team", Name: "治安大队", Kind: org.UnitTeam, ParentCode: "team"}, minyi.EInvalid, "parent_code"},
			{"under its own sub-unit", org.Unit{Code: "bureau", Name: "县局", Kind: org.UnitBureau, ParentCode: "station"}, minyi.EInvalid, "parent_code"},
			{"bad kind", org.Unit{Code: "team", Name: "治安大队", Kind: "gang"}, minyi.EInvalid, "kind"},
			{"blank name", org.Unit{Code: "team", Name: "  ", Kind: org.UnitTeam}, minyi.EInvalid, "name"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, _ := db.Units(ctx)
				err := org.NewService(db).UpdateUnit(ctx, org.Operator("test"), tt.unit)
				after, _ := db.Units(ctx)
				if tt.code != "" {
					wantProblem(t, err, tt.code, tt.field)
					if !slices.Equal(before, after) {
						t.Fatalf("a refused change changed the units: %v → %v", before, after)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got, err := db.Unit(ctx, tt.unit.Code)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.unit
				want.ID, want.Name = got.ID, "城关所"
				if tt.unit.Code == "squad" {
					want.Name = "一中队"
				}
				if got != want {
					t.Fatalf("stored %+v, want %+v", got, want)
				}
			})
		}
	})
}

func TestChangeUserAndPasswords(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		testkit.Bureau{Units: testkit.Stations}.Seed(t, db)
		admin := org.User{Name: "admin", Role: org.RoleAdmin}
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		var initial string
		for _, u := range []*org.User{&admin, &officer} {
			pw, err := org.NewService(db).AddUser(ctx, org.Operator("test"), u)
			if err != nil {
				t.Fatal(err)
			}
			initial = pw // the officer's, last
		}
		tests := []struct {
			name        string
			actor       org.User
			change      org.User
			code, field string
		}{
			{"officer moves and joins the party", admin, org.User{Name: "li", DisplayName: " 李伟 ", Role: org.RoleUnitHead, UnitCode: "b", PartyMember: true}, "", ""},
			{"officer disabled", admin, org.User{Name: "li", DisplayName: "李伟", Role: org.RoleUnitHead, UnitCode: "b", PartyMember: true, Disabled: true}, "", ""},
			{"admin demotes self", admin, org.User{Name: "admin", Role: org.RoleLeader}, minyi.EInvalid, "role"},
			{"admin disables self", admin, org.User{Name: "admin", Role: org.RoleAdmin, Disabled: true}, minyi.EInvalid, "disabled"},
			{"admin renames self", admin, org.User{Name: "admin", DisplayName: "管理员", Role: org.RoleAdmin}, "", ""},
			{"unknown unit", admin, org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "zz"}, minyi.EInvalid, "unit"},
			{"officer without unit", admin, org.User{Name: "li", Role: org.RoleOfficer}, minyi.EInvalid, "unit"},
			{"unknown user", admin, org.User{Name: "nobody", Role: org.RoleLeader}, minyi.ENotFound, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, _ := db.Users(ctx)
				err := org.NewService(db).ChangeUser(ctx, tt.actor, tt.change)
				after, _ := db.Users(ctx)
				if tt.code != "" {
					wantProblem(t, err, tt.code, tt.field)
					if !slices.EqualFunc(before, after, func(a, b org.User) bool { return a == b }) {
						t.Fatal("a refused change changed the users")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got, _ := db.UserByName(ctx, tt.change.Name)
				want := tt.change
				want.ID, want.PasswordHash, want.CreatedAt = got.ID, got.PasswordHash, got.CreatedAt
				want.DisplayName = tt.change.DisplayName
				if want.Name == "li" {
					want.DisplayName = "李伟"
				}
				if got != want {
					t.Fatalf("stored %+v, want %+v", got, want)
				}
			})
		}

		li, _ := db.UserByName(ctx, "li")
		if !org.CheckPassword(li.PasswordHash, initial) {
			t.Fatal("changing the user changed the password")
		}
		t.Run("reset password", func(t *testing.T) {
			pw, err := org.NewService(db).ResetPassword(ctx, org.Operator("test"), li)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := db.UserByName(ctx, "li")
			if !org.CheckPassword(got.PasswordHash, pw) || org.CheckPassword(got.PasswordHash, initial) {
				t.Fatal("the new password does not work, or the old one still does")
			}
			li = got
		})
		t.Run("unknown user's password", func(t *testing.T) {
			wantProblem(t, db.SetPassword(ctx, 99999, "x"), minyi.ENotFound, "")
		})
	})
}

func TestChangePassword(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		u := org.User{Name: "zhang-leader", Role: org.RoleLeader}
		current, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &u)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name                       string
			current, password, confirm string
			field                      string
		}{
			{"wrong current", "wrong", "a new long password", "a new long password", "current"},
			{"too short", "", "short", "short", "password"},
			{"the user name", "", "Zhang-Leader", "Zhang-Leader", "password"},
			{"same as now", "", "", "", "password"},
			{"confirmation differs", "", "a new long password", "a new long passwore", "confirm"},
			{"good", "", "一个足够长的新密码 ok", "一个足够长的新密码 ok", ""},
			{"the user name and more", "", "zhang-leader1", "zhang-leader1", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.current == "" { // "": the password in force
					tt.current = current
				}
				if tt.password == "" {
					tt.password, tt.confirm = current, current
				}
				u, _ := db.UserByName(ctx, "zhang-leader")
				_, err := org.NewService(db).ChangePassword(ctx, org.Client{}, u, tt.current, tt.password, tt.confirm)
				after, _ := db.UserByName(ctx, "zhang-leader")
				if tt.field != "" {
					wantProblem(t, err, minyi.EInvalid, tt.field)
					if after.PasswordHash != u.PasswordHash {
						t.Fatal("a refused change changed the password")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !org.CheckPassword(after.PasswordHash, tt.password) {
					t.Fatal("the new password does not work")
				}
				current = tt.password
			})
		}
	})
}

func TestUpdateCategory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		_, _ = fixture(t, db)
		c, err := db.Category(ctx, "hukou")
		if err != nil {
			t.Fatal(err)
		}
		c.Name, c.Group, c.Description, c.Keywords = "户籍业务", "户政", "落户、迁移", "落户 迁移"
		c.Class, c.UnitCode, c.Limit, c.Active = archive.ClassHard, "b", calendar.Limit{Amount: 4, Unit: calendar.WorkingHours}, false
		c.Attributes = []archive.Attribute{{Code: "doc", Datatype: "singlevaluelist", Description: "哪种证件", Required: true,
			Order: 1, Values: []archive.AttributeValue{{Key: "id", Name: "身份证"}, {Key: "hukou", Name: "户口本"}}}}
		if err := db.UpdateCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := db.Category(ctx, "hukou")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("stored %+v, want %+v", got, c)
		}
		c.Code = "nope"
		wantProblem(t, db.UpdateCategory(ctx, c), minyi.ENotFound, "")
	})
}

func TestTOTPState(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		u := org.User{Name: "admin", Role: org.RoleAdmin}
		if _, err := org.NewService(db).AddUser(ctx, org.Operator("test"), &u); err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, secret string, step int64) {
			t.Helper()
			s, n, err := db.UserTOTP(ctx, u.ID)
			if err != nil || s != secret || n != step {
				t.Fatalf("UserTOTP = %q, %d, %v; want %q, %d", s, n, err, secret, step)
			}
		}
		check(t, "", 0)
		steps := []struct {
			name string
			do   func() error
			code string // expected error code
			// state afterwards
			secret string
			step   int64
		}{
			{"no secret: no step", func() error { return db.UseTOTPStep(ctx, u.ID, 5) }, minyi.EConflict, "", 0},
			{"enrol", func() error { return db.SetUserTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP") }, "", "JBSWY3DPEHPK3PXP", 0},
			{"first code", func() error { return db.UseTOTPStep(ctx, u.ID, 100) }, "", "JBSWY3DPEHPK3PXP", 100},
			{"same code again", func() error { return db.UseTOTPStep(ctx, u.ID, 100) }, minyi.EConflict, "JBSWY3DPEHPK3PXP", 100},
			{"older code", func() error { return db.UseTOTPStep(ctx, u.ID, 99) }, minyi.EConflict, "JBSWY3DPEHPK3PXP", 100},
			{"next code", func() error { return db.UseTOTPStep(ctx, u.ID, 101) }, "", "JBSWY3DPEHPK3PXP", 101},
			{"remove", func() error { return db.SetUserTOTP(ctx, u.ID, "") }, "", "", 0},
			{"unknown user", func() error { return db.SetUserTOTP(ctx, 99999, "X") }, minyi.ENotFound, "", 0},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				err := s.do()
				if s.code != "" {
					wantProblem(t, err, s.code, "")
				} else if err != nil {
					t.Fatal(err)
				}
				check(t, s.secret, s.step)
			})
		}
		if _, _, err := db.UserTOTP(ctx, 99999); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Fatalf("unknown user: %v", err)
		}
	})
}

func TestDeskCandidates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := fixture(t, db)
		file := func(text string, publish bool) archive.Item {
			t.Helper()
			now.Advance(time.Minute)
			it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
				Category: "hukou", Text: text, Publish: publish, Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		act := func(it archive.Item, who org.User, cmd archive.Command) {
			t.Helper()
			if _, err := svc.Act(ctx, who, it.Number, cmd, true); err != nil {
				t.Fatalf("%s %s: %v", it.Number, cmd.Action, err)
			}
		}
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		no, yes := false, true
		waiting := file("新生儿怎么落户？", true)
		private := file("我家的私事", false)
		answered := file("身份证丢了怎么办？", true)
		act(answered, leader, archive.Command{Action: archive.ActDispatch, Unit: "a"})
		act(answered, officer, archive.Command{Action: archive.ActSign})
		act(answered, officer, archive.Command{Action: archive.ActAnswer, Body: "带户口簿到户籍窗口补办。"})
		withdrawn := file("能不能公开我的问题？", true)
		act(withdrawn, leader, archive.Command{Action: archive.ActSetPublish, Publish: &no})
		invalid := file("测试", true)
		act(invalid, leader, archive.Command{Action: archive.ActInvalidate, Body: "测试留言"})
		republished := file("又公开了", true)
		act(republished, leader, archive.Command{Action: archive.ActSetPublish, Publish: &no})
		act(republished, leader, archive.Command{Action: archive.ActSetPublish, Publish: &yes})

		got, err := db.DeskCandidates(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var numbers []string
		for _, it := range got {
			numbers = append(numbers, it.Number)
		}
		// Newest first: the republished one is still waiting for an answer;
		// the answered one is on the desk, the private and invalid ones never
		// may be.
		want := []string{republished.Number, withdrawn.Number, waiting.Number}
		if !slices.Equal(numbers, want) {
			t.Fatalf("candidates %v, want %v (private %s, answered %s, invalid %s)", numbers, want, private.Number, answered.Number, invalid.Number)
		}
		if got, _ := db.DeskCandidates(ctx, 2); len(got) != 2 || got[0].Number != republished.Number {
			t.Fatalf("limit 2: %v", got)
		}
	})
}

// TestPublishingNamesNobody: on both databases, publishing an answer that
// begins with the citizen's name is refused and changes nothing; the
// edited public version publishes and is what the desk finds and shows.
func TestPublishingNamesNobody(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := fixture(t, db)
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		it, _, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindConsultation, Channel: archive.ChannelOnlineDesk,
			Category: "hukou", Text: "户口本丢了怎么补办？", Publish: true, Contact: archive.Contact{Name: "巴特尔", Phone: "13900001111"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			who org.User
			cmd archive.Command
		}{{leader, archive.Command{Action: archive.ActDispatch, Unit: "a"}}, {officer, archive.Command{Action: archive.ActSign}},
			{officer, archive.Command{Action: archive.ActAnswer, Body: "巴特尔您好，请带身份证到户籍窗口补办。"}}} {
			if it, err = svc.Act(ctx, step.who, it.Number, step.cmd, true); err != nil {
				t.Fatal(err)
			}
		}
		yes := true
		before, _ := db.Item(ctx, it.Number)
		_, err = svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActSetPublish, Version: before.Version, Publish: &yes}, false)
		if minyi.ErrorCode(err) != minyi.EInvalid || !strings.Contains(err.Error(), "desk.answer") || !strings.Contains(err.Error(), "巴特尔") {
			t.Fatalf("publishing as written: %v", err)
		}
		if after, _ := db.Item(ctx, it.Number); !reflect.DeepEqual(before, after) || after.OnDesk() {
			t.Fatalf("a refused publication changed the item:\n%+v\n%+v", before, after)
		}
		if page, _ := svc.Desk(ctx, "补办", "", 10); len(page.Entries) != 0 {
			t.Fatalf("on the desk: %+v", page.Entries)
		}
		edit := &archive.DeskVersion{Title: "户口本补办", Answer: "您好，请带身份证到户籍窗口补办。"}
		if _, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActSetPublish, Version: before.Version, Publish: &yes, Desk: edit}, false); err != nil {
			t.Fatal(err)
		}
		page, err := svc.Desk(ctx, "补办", "", 10)
		if err != nil || len(page.Entries) != 1 || page.Entries[0].Title != "户口本补办" || page.Entries[0].Answer != edit.Answer ||
			page.Entries[0].Text != "户口本丢了怎么补办？" {
			t.Fatalf("desk: %+v %v", page.Entries, err)
		}
		// The desk's index holds what the desk shows, not the citizen's name.
		if page, _ := svc.Desk(ctx, "巴特尔", "", 10); len(page.Entries) != 0 {
			t.Fatalf("the desk finds the question by the name it no longer shows: %+v", page.Entries)
		}
	})
}
