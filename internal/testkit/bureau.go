package testkit

import (
	"context"
	"testing"

	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

// Store is what seeding a bureau needs: the organisation's and the
// archive configuration's stores (a *store.DB, or a fake).
type Store interface {
	org.Store
	archive.ConfigStore
}

// Bureau is an organisation to seed: units (parents first), categories and
// users, each added through its service as an administrator would, so a
// test starts from data those services accept.
type Bureau struct {
	Units      []org.Unit
	Categories []archive.Category
	Users      []org.User
}

// Stations are the two police stations most tests file items with: a (甲)
// and b (乙).
var Stations = []org.Unit{{Code: "a", Name: "甲派出所", Kind: org.UnitStation},
	{Code: "b", Name: "乙派出所", Kind: org.UnitStation}}

// UnderBureau is a bureau (测试局) with stations a and b under it.
var UnderBureau = []org.Unit{{Code: "bureau", Name: "测试局", Kind: org.UnitBureau},
	{Code: "a", Name: "甲派出所", Kind: org.UnitStation, ParentCode: "bureau"},
	{Code: "b", Name: "乙派出所", Kind: org.UnitStation, ParentCode: "bureau"}}

// Hukou is the household-registration category (户籍), handled by unit
// within three working days.
func Hukou(unit string) archive.Category {
	return archive.Category{Code: "hukou", Name: "户籍", UnitCode: unit,
		Limit: calendar.Limit{Amount: 3, Unit: calendar.WorkingDays}, Active: true}
}

// Seed adds b's units, categories and users to st and returns the users'
// initial passwords by name. b itself is left as it was (the services
// fill in copies), so Stations and UnderBureau can be shared.
func (b Bureau) Seed(t testing.TB, st Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	orgs, config := org.NewService(st), archive.NewConfig(st, nil)
	for _, u := range b.Units {
		if err := orgs.AddUnit(ctx, org.Operator("test"), &u); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range b.Categories {
		if err := config.AddCategory(ctx, org.Operator("test"), &c); err != nil {
			t.Fatal(err)
		}
	}
	passwords := map[string]string{}
	for _, u := range b.Users {
		pw, err := orgs.AddUser(ctx, org.Operator("test"), &u)
		if err != nil {
			t.Fatal(err)
		}
		passwords[u.Name] = pw
	}
	return passwords
}
