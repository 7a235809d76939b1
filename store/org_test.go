package store_test

import (
	"slices"
	"testing"

	"minyi"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/store"
)

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
