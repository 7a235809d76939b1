package org

import "testing"

func TestCrossAgency(t *testing.T) {
	clerk := User{Name: "zwzx-clerk", Role: RolePartner, UnitCode: "zwzx"}
	officer := User{Name: "li", Role: RoleOfficer, UnitCode: "spzx"}
	leader := User{Name: "boss", Role: RoleLeader}
	gone := User{Name: "gone", Role: RolePartner, UnitCode: "zwzx", Disabled: true}
	nobody := User{Name: "x", Role: RoleOfficer}
	tests := []struct {
		name        string
		u           User
		unit        string
		act         bool
		seeOf       []string
		see         bool
		description string
	}{
		{"partner, own step", clerk, "zwzx", true, []string{"zwzx", "spzx"}, true, "partners act on their own unit's steps"},
		{"partner, other step", clerk, "spzx", false, []string{"spzx"}, false, "and see only cases with such a step"},
		{"officer, own step", officer, "spzx", true, []string{"zwzx", "spzx"}, true, ""},
		{"officer, partner's step", officer, "zwzx", false, []string{"zwzx"}, false, ""},
		{"leader", leader, "zwzx", true, []string{"zwzx"}, true, "leaders act on any step"},
		{"disabled", gone, "zwzx", false, []string{"zwzx"}, true, "a disabled account does nothing"},
		{"no unit", nobody, "", false, []string{""}, false, "the empty unit is nobody's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.u.CanActForUnit(tt.unit); got != tt.act {
				t.Errorf("CanActForUnit(%q) = %v; %s", tt.unit, got, tt.description)
			}
			if got := tt.u.CanSeeCrossAgency(tt.seeOf); got != tt.see {
				t.Errorf("CanSeeCrossAgency(%v) = %v", tt.seeOf, got)
			}
		})
	}
}
