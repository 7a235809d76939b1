package register

import (
	"minyi"
	"minyi/org"
)

// Rule says from which states an action is legal and who may take it.
type Rule[S ~string] struct {
	// From lists the states the action is legal in; nil means every state
	// that is not terminal (Table.Terminal).
	From []S
	// Roles may take the action on their own unit's records. The admin and
	// leaders (org.Role.SeesAll) may take every staff action on any unit's,
	// so an empty list means them alone.
	Roles []org.Role
	// Citizen: the action is the citizen's (Actor.IsCitizen), and staff
	// may not take it.
	Citizen bool
}

// Noun names a register's record in its messages: 件 / item.
type Noun struct{ Zh, En string }

// Table is a register's rules: one Rule per action of type A on records in
// states of type S, and the words its refusals use.
type Table[A, S ~string] struct {
	Rules map[A]Rule[S]
	// Terminal reports the states in which nothing more happens to a
	// record; a rule without From is legal in every other state.
	Terminal func(S) bool
	// Record names the register's record in refusals.
	Record Noun
	// StateLabel is a state's display name in refusals; nil shows the code.
	StateLabel func(S) string
}

// Check returns nil when actor may take action a on a record held by unit
// in state s, else why not: an unknown action is invalid (naming the field
// action), a refused actor forbidden (Permit), a wrong state illegal. The
// actor's right comes first, so that nobody learns a record's state from an
// action they may not take.
func (t Table[A, S]) Check(a A, actor Actor, unit string, s S) error {
	if err := t.Permit(a, actor, unit); err != nil {
		return err
	}
	if !t.Legal(a, s) {
		label := string(s)
		if t.StateLabel != nil {
			label = t.StateLabel(s)
		}
		return minyi.Errorf(minyi.EIllegal, "当前状态（%s）不能执行“%s” / action %q is not allowed in status %q", label, a, a, s)
	}
	return nil
}

// Allowed reports whether Check lets actor take action a on a record held
// by unit in state s.
func (t Table[A, S]) Allowed(a A, actor Actor, unit string, s S) bool {
	return t.Check(a, actor, unit, s) == nil
}

// Legal reports whether action a may be taken in state s, whoever asks.
func (t Table[A, S]) Legal(a A, s S) bool {
	r, ok := t.Rules[a]
	if !ok {
		return false
	}
	if r.From == nil {
		return t.Terminal == nil || !t.Terminal(s)
	}
	for _, f := range r.From {
		if f == s {
			return true
		}
	}
	return false
}

// Permit returns nil when actor may take action a on a record held by unit,
// whatever its state: the citizen only the citizen's actions; staff only
// staff actions, on records of a unit they see (org.Role.CanSeeUnit, the one
// rule of every register), in a role the rule names unless they see all.
func (t Table[A, S]) Permit(a A, actor Actor, unit string) error {
	r, ok := t.Rules[a]
	switch {
	case !ok:
		return minyi.Invalid("action", "未知的操作", "unknown action")
	case actor.IsCitizen() && r.Citizen:
		return nil
	case actor.IsCitizen():
		return minyi.Errorf(minyi.EForbidden, "此操作须由工作人员办理 / this action is for staff only")
	case r.Citizen:
		return minyi.Errorf(minyi.EForbidden, "此操作须由群众本人办理 / only the citizen can do this")
	case !actor.Role.CanSeeUnit(actor.UnitCode, unit):
		return t.otherUnit()
	case actor.Role.SeesAll():
		return nil
	}
	for _, role := range r.Roles {
		if role == actor.Role {
			return nil
		}
	}
	return minyi.Errorf(minyi.EForbidden, "您的角色不能执行此操作 / your role may not do this")
}

// MaySee returns nil when u may see a record held by unit
// (org.User.CanSeeUnit), else a refusal. Another unit's record is forbidden,
// not hidden: staff know numbers from paper and need to be told why.
func (t Table[A, S]) MaySee(u org.User, unit string) error {
	if !u.CanSeeUnit(unit) {
		return t.otherUnit()
	}
	return nil
}

func (t Table[A, S]) otherUnit() error {
	return minyi.Errorf(minyi.EForbidden, "该%s不属于您的单位 / this %s belongs to another unit", t.Record.Zh, t.Record.En)
}

// Available reports which of actions can be taken now, by running try — a
// register's Decide given a command that names only the action — for each.
// An action is available unless try refuses it as forbidden or illegal:
// the rules table and every precondition on the record's state (a pending
// request, a citizen not yet visited, …) are Decide's, and are never stated
// again by a page. An invalid answer only means that the empty command
// lacks what the user will fill in (a reason, a unit). So a register's
// Decide must refuse what the record's state or the actor forbids with
// EIllegal or EForbidden, and a missing or bad field with EInvalid; actions
// must all be in its table (an unknown action is invalid too).
func Available[A comparable](actions []A, try func(A) error) map[A]bool {
	out := make(map[A]bool, len(actions))
	for _, a := range actions {
		switch minyi.ErrorCode(try(a)) {
		case "", minyi.EInvalid:
			out[a] = true
		default:
			out[a] = false
		}
	}
	return out
}
