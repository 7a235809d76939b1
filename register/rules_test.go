package register

import (
	"testing"

	"minyi"
	"minyi/org"
)

// A small register of its own, so that the shared check is tested apart
// from the archive's table: requests that are filed, taken up, and done.
type (
	action string
	state  string
)

const (
	filed state = "filed"
	taken state = "taken"
	done  state = "done"
)

var table = Table[action, state]{
	Rules: map[action]Rule[state]{
		"take":    {From: []state{filed}, Roles: []org.Role{org.RoleOfficer, org.RoleAuxiliary}},
		"finish":  {From: []state{taken}, Roles: []org.Role{org.RoleOfficer}},
		"comment": {Roles: []org.Role{org.RoleOfficer, org.RoleAuxiliary}},
		"approve": {From: []state{taken}},
		"thank":   {From: []state{done}, Citizen: true},
	},
	Terminal: func(s state) bool { return s == done },
	Record:   Noun{Zh: "申请", En: "request"},
	StateLabel: func(s state) string {
		return map[state]string{filed: "已提交", taken: "办理中", done: "已办结"}[s]
	},
}

func TestCheck(t *testing.T) {
	officer := Actor{Name: "o", Role: org.RoleOfficer, UnitCode: "a"}
	aux := Actor{Name: "x", Role: org.RoleAuxiliary, UnitCode: "a"}
	leader := Actor{Name: "l", Role: org.RoleLeader}
	partner := Actor{Name: "p", Role: org.RolePartner, UnitCode: "a"}
	citizen := Actor{Name: "citizen"}
	tests := []struct {
		name   string
		action action
		actor  Actor
		unit   string
		state  state
		code   string
		msg    string
	}{
		{"officer takes own unit's", "take", officer, "a", filed, "", ""},
		{"auxiliary takes", "take", aux, "a", filed, "", ""},
		{"auxiliary may not finish", "finish", aux, "a", taken, minyi.EForbidden, "您的角色不能执行此操作 / your role may not do this"},
		{"another unit's", "take", officer, "b", filed, minyi.EForbidden, "该申请不属于您的单位 / this request belongs to another unit"},
		{"unassigned is another unit's", "take", officer, "", filed, minyi.EForbidden, "该申请不属于您的单位 / this request belongs to another unit"},
		{"no unit sees none", "take", Actor{Name: "o", Role: org.RoleOfficer}, "", filed, minyi.EForbidden, "该申请不属于您的单位 / this request belongs to another unit"},
		{"leader takes any unit's", "take", leader, "b", filed, "", ""},
		{"empty roles: leaders only", "approve", officer, "a", taken, minyi.EForbidden, "您的角色不能执行此操作 / your role may not do this"},
		{"empty roles: leader", "approve", leader, "a", taken, "", ""},
		{"partner reads only", "comment", partner, "a", filed, minyi.EForbidden, "您的角色不能执行此操作 / your role may not do this"},
		{"wrong state", "finish", officer, "a", filed, minyi.EIllegal, "当前状态（已提交）不能执行“finish” / action \"finish\" is not allowed in status \"filed\""},
		{"no states: any but terminal", "comment", officer, "a", taken, "", ""},
		{"no states: not terminal", "comment", officer, "a", done, minyi.EIllegal, ""},
		{"right before state", "finish", aux, "a", filed, minyi.EForbidden, ""},
		{"citizen's action", "thank", citizen, "", done, "", ""},
		{"citizen's action, wrong state", "thank", citizen, "", taken, minyi.EIllegal, ""},
		{"citizen's action is not staff's", "thank", leader, "a", done, minyi.EForbidden, "此操作须由群众本人办理 / only the citizen can do this"},
		{"staff action is not the citizen's", "take", citizen, "a", filed, minyi.EForbidden, "此操作须由工作人员办理 / this action is for staff only"},
		{"unknown action", "jump", leader, "a", filed, minyi.EInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := table.Check(tt.action, tt.actor, tt.unit, tt.state)
			if got := minyi.ErrorCode(err); got != tt.code {
				t.Fatalf("Check = %v, want code %q", err, tt.code)
			}
			if tt.msg != "" && minyi.ErrorMessage(err) != tt.msg {
				t.Errorf("message %q, want %q", minyi.ErrorMessage(err), tt.msg)
			}
			if table.Allowed(tt.action, tt.actor, tt.unit, tt.state) != (tt.code == "") {
				t.Errorf("Allowed disagrees with Check")
			}
		})
	}
}

func TestMaySee(t *testing.T) {
	tests := []struct {
		user org.User
		unit string
		ok   bool
	}{
		{org.User{Role: org.RoleOfficer, UnitCode: "a"}, "a", true},
		{org.User{Role: org.RoleOfficer, UnitCode: "a"}, "b", false},
		{org.User{Role: org.RolePartner, UnitCode: "a"}, "a", true},
		{org.User{Role: org.RoleAdmin}, "b", true},
	}
	for _, tt := range tests {
		err := table.MaySee(tt.user, tt.unit)
		if (err == nil) != tt.ok {
			t.Errorf("%s of %q sees %q: %v, want ok %v", tt.user.Role, tt.user.UnitCode, tt.unit, err, tt.ok)
		}
		if err != nil && minyi.ErrorCode(err) != minyi.EForbidden {
			t.Errorf("refusal %v is not forbidden", err)
		}
	}
}

// TestAvailable: an action is offered unless its Decide refuses it as
// forbidden or illegal; a field it lacks does not hide it.
func TestAvailable(t *testing.T) {
	answers := map[action]error{
		"take":    nil,
		"finish":  minyi.Invalid("body", "不能为空", "is required"),
		"comment": minyi.Errorf(minyi.EIllegal, "x"),
		"approve": minyi.Errorf(minyi.EForbidden, "x"),
		"thank":   minyi.Errorf(minyi.EConflict, "x"),
	}
	got := Available([]action{"take", "finish", "comment", "approve", "thank"}, func(a action) error { return answers[a] })
	want := map[action]bool{"take": true, "finish": true, "comment": false, "approve": false, "thank": false}
	for a, w := range want {
		if got[a] != w {
			t.Errorf("%s available %v, want %v", a, got[a], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d actions, want %d", len(got), len(want))
	}
}

func TestActorFor(t *testing.T) {
	a := ActorFor(org.User{ID: 7, Name: "li", Role: org.RoleOfficer, UnitCode: "a", DisplayName: "李"})
	if a != (Actor{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}) || a.IsCitizen() {
		t.Errorf("ActorFor = %+v", a)
	}
	if !(Actor{Name: "citizen"}).IsCitizen() {
		t.Error("an actor without a role is not the citizen")
	}
}
