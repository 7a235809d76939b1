// Package org describes who works in the agency: the tree of units (所隊室),
// party branches (黨支部), staff and their roles, and therefore who may see
// and do what. It has no dependencies on storage or HTTP.
package org

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
)

// UnitKind says what sort of unit a node of the organisation tree is.
type UnitKind string

// Unit kinds found in a county public security bureau and its partners.
const (
	UnitBureau  UnitKind = "bureau"  // 局
	UnitStation UnitKind = "station" // 派出所
	UnitTeam    UnitKind = "team"    // 大隊
	UnitOffice  UnitKind = "office"  // 室
	UnitCentre  UnitKind = "centre"  // 行政審批服務中心
	UnitPartner UnitKind = "partner" // 政務服務中心 and other agencies
)

// UnitKinds lists every kind with its Chinese label, in display order.
var UnitKinds = []struct {
	Kind  UnitKind
	Label string
}{
	{UnitBureau, "局"}, {UnitStation, "派出所"}, {UnitTeam, "大队"},
	{UnitOffice, "科室"}, {UnitCentre, "服务中心"}, {UnitPartner, "协作单位"},
}

// Valid reports whether k is a known kind.
func (k UnitKind) Valid() bool {
	for _, x := range UnitKinds {
		if x.Kind == k {
			return true
		}
	}
	return false
}

// Unit is one node in the organisation tree.
type Unit struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	// NameEn and NameMn name the unit for English and Mongolian readers;
	// empty, they read the Chinese name.
	NameEn     string   `json:"name_en,omitempty"`
	NameMn     string   `json:"name_mn,omitempty"`
	Kind       UnitKind `json:"kind"`
	ParentCode string   `json:"parent_code,omitempty"`
	Township   string   `json:"township,omitempty"`
	// DispatchByBureau keeps the items addressed to the unit in the
	// bureau's dispatch queue, as before issue 15: a unit set so (an admin
	// sets it) gets its items only through the bureau's dispatch.
	DispatchByBureau bool `json:"dispatch_by_bureau"`
}

// TakesAddressed reports whether items addressed to the unit (its QR
// poster, its own staff's entries, its meetings) are its own at once,
// without the bureau dispatching them. The bureau is the dispatcher itself,
// a partner agency only reads, and a unit set to DispatchByBureau wants
// the bureau's dispatch, so theirs wait in the dispatch queue.
func (u Unit) TakesAddressed() bool {
	return u.Kind != UnitBureau && u.Kind != UnitPartner && !u.DispatchByBureau
}

// CanHandle reports whether u may be the officer in charge (承办人) of the
// unit's items: an active officer or head of that unit. Auxiliaries help
// but give no final answers, so they are never in charge.
func (u User) CanHandle(unitCode string) bool {
	return !u.Disabled && unitCode != "" && u.UnitCode == unitCode && (u.Role == RoleOfficer || u.Role == RoleUnitHead)
}

// Branch is a party branch; staff and ledger work are attributed to it.
type Branch struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	UnitCode string `json:"unit_code"`
}

// Role decides what a member of staff may do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin     Role = "admin"     // 管理员: configuration and users; sees everything
	RoleLeader    Role = "leader"    // 局領導: sees everything, dispatches, grants extensions
	RoleUnitHead  Role = "unit_head" // 所隊長: runs the unit's items
	RoleOfficer   Role = "officer"   // 民警: handles the unit's items
	RoleAuxiliary Role = "auxiliary" // 輔警: helps with the unit's items; no final answers
	RolePartner   Role = "partner"   // 協作單位: reads its own unit's items
)

// Roles lists every role with its Chinese label.
var Roles = []struct {
	Role  Role
	Label string
}{
	{RoleAdmin, "管理员"}, {RoleLeader, "局领导"}, {RoleUnitHead, "所队长"},
	{RoleOfficer, "民警"}, {RoleAuxiliary, "辅警"}, {RolePartner, "协作单位（只读）"},
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x.Role == r {
			return true
		}
	}
	return false
}

// User is a member of staff (or of a partner agency).
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	UnitCode     string    `json:"unit_code,omitempty"`
	BranchCode   string    `json:"branch_code,omitempty"`
	PartyMember  bool      `json:"party_member"`
	Disabled     bool      `json:"disabled"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// SeesAll reports whether the role sees every unit's records and may take
// every staff action on them: the admin and leaders. Every other role works
// within its own unit.
func (r Role) SeesAll() bool { return r == RoleAdmin || r == RoleLeader }

// CanSeeUnit is the one rule of who sees a unit's records, in every register:
// a member of unit own with role r may see the records held by unit when
// the role sees all or the unit is their own. Within what they see, a
// register's rules table says which roles may change what; partners are
// in no table, so they only read.
func (r Role) CanSeeUnit(own, unit string) bool {
	return r.SeesAll() || (own != "" && own == unit)
}

// SeesAll reports whether the user sees every unit's records (Role.SeesAll).
func (u User) SeesAll() bool { return u.Role.SeesAll() }

// IsStaff reports whether the user belongs to the agency rather than a partner.
func (u User) IsStaff() bool { return u.Role != RolePartner }

// CanSeeUnit reports whether u may see records held by the unit with the
// given code (Role.CanSeeUnit).
func (u User) CanSeeUnit(unitCode string) bool { return u.Role.CanSeeUnit(u.UnitCode, unitCode) }

// VisibleUnits is what a list of records u may see is restricted to: nil
// (every unit) for those who see all, else u's own unit.
func (u User) VisibleUnits() []string {
	if u.SeesAll() {
		return nil
	}
	return []string{u.UnitCode}
}

// CanFile reports whether u may file items at all: partners only read, and
// a disabled account does nothing.
func (u User) CanFile() bool { return !u.Disabled && u.IsStaff() }

// CanFileInto reports whether u may file an item into the unit with the
// given code. The empty code is the bureau's dispatch queue (待派单), open to
// everyone who may file; leaders and admins file into any unit, other staff
// only into their own, so that nobody puts work on another unit's desk
// without the bureau dispatching it.
func (u User) CanFileInto(unitCode string) bool {
	return u.CanFile() && (unitCode == "" || u.CanSeeUnit(unitCode))
}

// CanManage reports whether u may change configuration: units, users, categories, calendar.
func (u User) CanManage() bool { return u.Role == RoleAdmin }

// CodePattern is the form of a unit, branch, category or user code (and of
// a client's name): 1–40 lower-case letters, digits, - or _.
const CodePattern = `^[a-z0-9][a-z0-9_-]{0,39}$`

// MaxNameRunes bounds the name of a unit and a user's display name.
const MaxNameRunes = 80

var codePattern = regexp.MustCompile(CodePattern)

// ValidCode reports whether s is usable as a unit, branch, category or user code.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Validate checks a unit before it is stored.
func (u Unit) Validate() error {
	var p minyi.Problems
	if !ValidCode(u.Code) {
		p.Add("code", "代码须为1–40位小写字母、数字、-或_", "code must be 1–40 lower-case letters, digits, - or _")
	}
	checkName(&p, "name", u.Name)
	// The other languages' names may be left empty: readers then see
	// the Chinese one.
	for _, f := range [][2]string{{"name_en", u.NameEn}, {"name_mn", u.NameMn}} {
		if utf8.RuneCountInString(f[1]) > MaxNameRunes {
			p.Add(f[0], "名称不能超过"+strconv.Itoa(MaxNameRunes)+"字", "name must be at most "+strconv.Itoa(MaxNameRunes)+" characters")
		}
	}
	if !u.Kind.Valid() {
		p.Add("kind", "单位类型无效", "unknown unit kind")
	}
	if u.ParentCode == u.Code && u.Code != "" {
		p.Add("parent_code", "上级单位不能是自己", "a unit cannot be its own parent")
	}
	return p.Err()
}

// Validate checks a user before it is stored.
func (u User) Validate() error {
	var p minyi.Problems
	if !ValidCode(u.Name) {
		p.Add("name", "用户名须为1–40位小写字母、数字、-或_", "user name must be 1–40 lower-case letters, digits, - or _")
	} else if u.Name == "me" || u.Name == "none" {
		// The lists' filter of the officer in charge reads them as the
		// reader and as nobody (archive.AssigneeMe, AssigneeNone).
		p.Add("name", "用户名不能是me或none", "a user name cannot be me or none")
	}
	if u.DisplayName != "" {
		checkName(&p, "display_name", u.DisplayName)
	}
	if !u.Role.Valid() {
		p.Add("role", "角色无效", "unknown role")
	}
	if !u.SeesAll() && u.UnitCode == "" {
		p.Add("unit", "该角色必须属于一个单位", "this role needs a unit")
	}
	return p.Err()
}

func checkName(p *minyi.Problems, field, s string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(s)); {
	case n == 0:
		p.Add(field, "名称不能为空", "name is required")
	case n > MaxNameRunes:
		p.Add(field, "名称不能超过"+strconv.Itoa(MaxNameRunes)+"字", "name must be at most "+strconv.Itoa(MaxNameRunes)+" characters")
	}
}
