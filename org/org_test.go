package org

import (
	"errors"
	"strings"
	"testing"

	"minyi"
)

func TestPassword(t *testing.T) {
	hash, err := HashPassword("正确的密码 correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash is not argon2id in PHC format: %s", hash)
	}
	again, _ := HashPassword("正确的密码 correct horse")
	if again == hash {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	parts := strings.Split(hash, "$")
	tampered := strings.Join(append(parts[:5:5], strings.Repeat("A", len(parts[5]))), "$")
	tests := []struct {
		name, hash, password string
		want                 bool
	}{
		{"right password", hash, "正确的密码 correct horse", true},
		{"right password, second hash", again, "正确的密码 correct horse", true},
		{"wrong password", hash, "正确的密码 correct horse ", false},
		{"empty password", hash, "", false},
		{"tampered key", tampered, "正确的密码 correct horse", false},
		{"other algorithm", strings.Replace(hash, "argon2id", "argon2i", 1), "正确的密码 correct horse", false},
		{"other version", strings.Replace(hash, "v=19", "v=16", 1), "正确的密码 correct horse", false},
		{"garbage", "not a hash", "x", false},
		{"empty hash", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.hash, tt.password); got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUserValidate(t *testing.T) {
	tests := []struct {
		name   string
		user   User
		fields []string
	}{
		{"officer with unit", User{Name: "li-wei", Role: RoleOfficer, UnitCode: "station-1"}, nil},
		{"leader without unit", User{Name: "leader", Role: RoleLeader}, nil},
		{"officer without unit", User{Name: "li", Role: RoleOfficer}, []string{"unit"}},
		{"upper-case name", User{Name: "LiWei", Role: RoleAdmin}, []string{"name"}},
		{"me, the reader in the filters", User{Name: "me", Role: RoleAdmin}, []string{"name"}},
		{"none, nobody in the filters", User{Name: "none", Role: RoleAdmin}, []string{"name"}},
		{"Chinese name", User{Name: "李伟", Role: RoleAdmin}, []string{"name"}},
		{"unknown role", User{Name: "x", Role: "boss"}, []string{"role", "unit"}},
		{"blank display name", User{Name: "x", Role: RoleAdmin, DisplayName: "  "}, []string{"display_name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.user.Validate()
			var got []string
			var e *minyi.Error
			if errors.As(err, &e) {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields %v, want %v (err %v)", got, tt.fields, err)
			}
		})
	}
}

func TestCanSeeUnit(t *testing.T) {
	tests := []struct {
		user User
		unit string
		want bool
	}{
		{User{Role: RoleAdmin}, "station-1", true},
		{User{Role: RoleLeader}, "station-1", true},
		{User{Role: RoleOfficer, UnitCode: "station-1"}, "station-1", true},
		{User{Role: RoleOfficer, UnitCode: "station-1"}, "station-2", false},
		{User{Role: RoleUnitHead, UnitCode: "station-1"}, "station-2", false},
		{User{Role: RolePartner, UnitCode: "gov-centre"}, "gov-centre", true},
		{User{Role: RoleOfficer}, "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.user.Role)+"/"+tt.unit, func(t *testing.T) {
			if got := tt.user.CanSeeUnit(tt.unit); got != tt.want {
				t.Errorf("CanSeeUnit = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestVisibleUnits(t *testing.T) {
	tests := []struct {
		user User
		want []string
	}{
		{User{Role: RoleAdmin}, nil},
		{User{Role: RoleLeader, UnitCode: "bureau"}, nil},
		{User{Role: RoleOfficer, UnitCode: "station-1"}, []string{"station-1"}},
		{User{Role: RolePartner, UnitCode: "gov-centre"}, []string{"gov-centre"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.user.Role), func(t *testing.T) {
			got := tt.user.VisibleUnits()
			if (got == nil) != (tt.want == nil) || strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("VisibleUnits = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestCanFileInto(t *testing.T) {
	officer := User{Role: RoleOfficer, UnitCode: "station-1"}
	disabled := officer
	disabled.Disabled = true
	tests := []struct {
		name string
		user User
		unit string
		want bool
	}{
		{"officer into own unit", officer, "station-1", true},
		{"officer into the dispatch queue", officer, "", true},
		{"officer into another station", officer, "station-2", false},
		{"auxiliary into own unit", User{Role: RoleAuxiliary, UnitCode: "station-1"}, "station-1", true},
		{"unit head into another unit", User{Role: RoleUnitHead, UnitCode: "station-1"}, "team-1", false},
		{"leader anywhere", User{Role: RoleLeader}, "team-1", true},
		{"admin anywhere", User{Role: RoleAdmin}, "station-2", true},
		{"partner into own unit", User{Role: RolePartner, UnitCode: "gov-centre"}, "gov-centre", false},
		{"partner into the dispatch queue", User{Role: RolePartner, UnitCode: "gov-centre"}, "", false},
		{"disabled officer into own unit", disabled, "station-1", false},
		{"disabled leader anywhere", User{Role: RoleLeader, Disabled: true}, "", false},
		{"officer without a unit", User{Role: RoleOfficer}, "station-1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.user.CanFileInto(tt.unit); got != tt.want {
				t.Errorf("CanFileInto(%q) = %v, want %v", tt.unit, got, tt.want)
			}
		})
	}
}
