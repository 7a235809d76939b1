package store_test

import (
	"reflect"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/internal/testdb"
	"minyi/store"
)

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
