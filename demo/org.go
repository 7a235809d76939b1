package demo

import (
	"context"
	"runtime"
	"sync"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/org"
)

// Unit codes the parts refer to.
const (
	UnitBureau    = "otog-psb"
	UnitApproval  = "approval-centre"
	UnitCommand   = "command-centre"
	UnitLegal     = "legal-office"
	UnitPolitical = "political-office"
	UnitCriminal  = "criminal-team"
	UnitOrder     = "public-order-team"
	UnitTraffic   = "traffic-team"
	UnitNarcotics = "narcotics-team"
	UnitPartner   = "gov-service-centre"
)

// station is a township police station with the township it covers; short
// is the prefix of its accounts and branch.
type station struct {
	code, name, township, short string
}

// stations are the township police stations, one per township of Otog
// Banner (4 towns 镇, 2 sumu 苏木).
var stations = []station{
	{"wulan-station", "乌兰镇派出所", "乌兰镇", "wulan"},
	{"qipanjing-station", "棋盘井派出所", "棋盘井镇", "qipanjing"},
	{"mengxi-station", "蒙西镇派出所", "蒙西镇", "mengxi"},
	{"mukennaoer-station", "木肯淖尔镇派出所", "木肯淖尔镇", "mukennaoer"},
	{"aerbasi-station", "阿尔巴斯苏木派出所", "阿尔巴斯苏木", "aerbasi"},
	{"sumitu-station", "苏米图苏木派出所", "苏米图苏木", "sumitu"},
}

// stationOf returns the station covering a township.
func stationOf(township string) station {
	for _, s := range stations {
		if s.township == township {
			return s
		}
	}
	return stations[0]
}

// otherUnits are the bureau's teams, offices and centre and the partner
// agency, after the bureau and its stations.
var otherUnits = []org.Unit{
	{Code: UnitCriminal, Name: "刑事侦查大队", Kind: org.UnitTeam, ParentCode: UnitBureau},
	{Code: UnitOrder, Name: "治安管理大队", Kind: org.UnitTeam, ParentCode: UnitBureau},
	{Code: UnitTraffic, Name: "交通管理大队", Kind: org.UnitTeam, ParentCode: UnitBureau},
	{Code: UnitNarcotics, Name: "禁毒大队", Kind: org.UnitTeam, ParentCode: UnitBureau},
	{Code: UnitCommand, Name: "指挥中心", Kind: org.UnitOffice, ParentCode: UnitBureau},
	{Code: UnitLegal, Name: "法制室", Kind: org.UnitOffice, ParentCode: UnitBureau},
	{Code: UnitPolitical, Name: "政工室（警务督察）", Kind: org.UnitOffice, ParentCode: UnitBureau},
	{Code: UnitApproval, Name: "行政审批服务中心", Kind: org.UnitCentre, ParentCode: UnitBureau, Township: "乌兰镇"},
	// The government service centre is another agency, not part of the
	// bureau, so it has no parent: it is a root of its own.
	{Code: UnitPartner, Name: "鄂托克旗政务服务中心", Kind: org.UnitPartner, Township: "乌兰镇"},
}

// branchJiguan is the party branch of the bureau's offices and centre.
const branchJiguan = "branch-jiguan"

// organisationPart loads units, party branches, accounts and the admin token.
type organisationPart struct{}

func (organisationPart) Name() string { return "organisation" }

func (organisationPart) Load(ctx context.Context, l *Loader) error {
	s := l.Env.Store
	o, op := org.NewService(s), org.Operator("demo")
	units := []org.Unit{{Code: UnitBureau, Name: "鄂托克旗公安局", Kind: org.UnitBureau, Township: "乌兰镇"}}
	for _, st := range stations {
		units = append(units, org.Unit{Code: st.code, Name: st.name, Kind: org.UnitStation, ParentCode: UnitBureau, Township: st.township})
	}
	units = append(units, otherUnits...)
	for i := range units {
		if err := o.AddUnit(ctx, op, &units[i]); err != nil {
			return err
		}
	}

	branches := []org.Branch{{Code: branchJiguan, Name: "机关党支部", UnitCode: UnitBureau}}
	for _, st := range stations {
		branches = append(branches, org.Branch{Code: "branch-" + st.short, Name: st.name + "党支部", UnitCode: st.code})
	}
	for _, u := range otherUnits {
		if u.Kind == org.UnitTeam {
			branches = append(branches, org.Branch{Code: "branch-" + u.Code, Name: u.Name + "党支部", UnitCode: u.Code})
		}
	}
	for i := range branches {
		if err := o.AddBranch(ctx, op, &branches[i]); err != nil {
			return err
		}
	}

	users := demoUsers()
	if err := createUsers(ctx, l, users); err != nil {
		return err
	}
	// The token is real time's, not the demo's 2021: it must work for
	// the default lifetime from the moment the demo is loaded.
	token, _, err := o.IssueToken(ctx, op, "admin", "demo", 0)
	if err != nil {
		return err
	}
	l.Result.AdminToken = token
	cfg := archive.NewConfig(s, nil)
	for _, set := range [][2]string{{archive.SettingDutyPhone, DutyPhone},
		{archive.SettingICPFiling, ICPFiling}, {archive.SettingPSBFiling, PSBFiling}} {
		if _, err := cfg.SetSetting(ctx, org.Operator("demo"), set[0], set[1]); err != nil {
			return err
		}
	}
	return nil
}

// demoUsers lists the demo accounts. Display names are titles, not people:
// the demo must hold no personal data.
func demoUsers() []org.User {
	users := []org.User{
		{Name: "admin", DisplayName: "系统管理员", Role: org.RoleAdmin, UnitCode: UnitBureau},
		{Name: "leader", DisplayName: "局领导", Role: org.RoleLeader, UnitCode: UnitBureau, PartyMember: true, BranchCode: branchJiguan},
	}
	for i, st := range stations {
		branch := "branch-" + st.short
		users = append(users,
			org.User{Name: st.short + "-head", DisplayName: st.name + "所长", Role: org.RoleUnitHead, UnitCode: st.code, PartyMember: true, BranchCode: branch},
			org.User{Name: st.short + "-officer", DisplayName: st.name + "民警", Role: org.RoleOfficer, UnitCode: st.code, PartyMember: i%2 == 0, BranchCode: branch})
		if st.short == "mengxi" {
			// An auxiliary may sign, start and visit back but never answer.
			users = append(users, org.User{Name: "mengxi-aux", DisplayName: "蒙西镇派出所辅警", Role: org.RoleAuxiliary, UnitCode: st.code})
		}
	}
	users = append(users, org.User{Name: "approval-officer", DisplayName: "行政审批服务中心民警", Role: org.RoleOfficer, UnitCode: UnitApproval, PartyMember: true, BranchCode: branchJiguan})
	for _, u := range otherUnits {
		switch u.Kind {
		case org.UnitTeam:
			users = append(users, org.User{Name: u.Code + "-officer", DisplayName: u.Name + "民警", Role: org.RoleOfficer, UnitCode: u.Code, PartyMember: true, BranchCode: "branch-" + u.Code})
		case org.UnitOffice:
			users = append(users, org.User{Name: u.Code + "-officer", DisplayName: u.Name + "民警", Role: org.RoleOfficer, UnitCode: u.Code, PartyMember: u.Code != UnitCommand, BranchCode: branchJiguan})
		}
	}
	users = append(users, org.User{Name: "partner", DisplayName: "政务服务中心工作人员", Role: org.RolePartner, UnitCode: UnitPartner})
	for i := range users {
		if !users[i].PartyMember {
			users[i].BranchCode = ""
		}
	}
	return users
}

// createUsers stores the accounts with the shared demo password. It does what
// org.Service.AddUser does (validate, check the unit) but sets a known password
// instead of a random one. Hashing is deliberately slow (argon2id), so the
// hashes are computed in parallel before the users are stored in order.
func createUsers(ctx context.Context, l *Loader, users []org.User) error {
	s := l.Env.Store
	created := l.clock.Add(-time.Hour) // the accounts exist before the first item
	for i := range users {
		u := &users[i]
		if err := u.Validate(); err != nil {
			return err
		}
		if _, err := s.Unit(ctx, u.UnitCode); err != nil {
			return err
		}
		u.CreatedAt = created
	}
	hashes := make([]string, len(users))
	errs := make([]error, len(users))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			hashes[i], errs[i] = org.HashPassword(Password)
		}()
	}
	wg.Wait()
	for i := range users {
		if errs[i] != nil {
			return minyi.Internal(errs[i])
		}
		u := &users[i]
		u.PasswordHash = hashes[i]
		if err := s.CreateUser(ctx, u); err != nil {
			return err
		}
		l.addUser(*u)
		l.Result.Logins = append(l.Result.Logins, Login{
			Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role), Unit: u.UnitCode, Password: Password,
		})
	}
	return nil
}
