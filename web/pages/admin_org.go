package pages

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"minyi/org"
)

// Units and users on the administration pages.

// unitRow is a unit in the tree as the list shows it: under its parent,
// indented by depth.
type unitRow struct {
	org.Unit
	Depth      int
	ParentName string
}

// unitTree orders units as a tree: each unit after its parent, siblings by
// kind (bureau, stations, teams, offices, centre, partners) then age.
// Units whose parent is missing are shown at the top level rather than
// lost; a loop in stored data cannot make the walk repeat.
func unitTree(units []org.Unit) []unitRow {
	byCode := make(map[string]org.Unit, len(units))
	for _, u := range units {
		byCode[u.Code] = u
	}
	kindOrder := func(k org.UnitKind) int { return slices.Index(unitKinds(), k) }
	children := map[string][]org.Unit{}
	for _, u := range units {
		parent := u.ParentCode
		if _, ok := byCode[parent]; !ok || parent == u.Code {
			parent = ""
		}
		children[parent] = append(children[parent], u)
	}
	for _, c := range children {
		slices.SortStableFunc(c, func(a, b org.Unit) int {
			if d := cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)); d != 0 {
				return d
			}
			return cmp.Compare(a.ID, b.ID)
		})
	}
	out := make([]unitRow, 0, len(units))
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, u := range children[parent] {
			if seen[u.Code] {
				continue
			}
			seen[u.Code] = true
			out = append(out, unitRow{Unit: u, Depth: min(depth, 4), ParentName: byCode[u.ParentCode].Name})
			walk(u.Code, depth+1)
		}
	}
	walk("", 0)
	for _, u := range units { // members of a loop, cut off from the top
		if !seen[u.Code] {
			seen[u.Code] = true
			out = append(out, unitRow{Unit: u, ParentName: byCode[u.ParentCode].Name})
		}
	}
	return out
}

// Indent shows the depth in a choice list, where markup cannot.
func (u unitRow) Indent() string { return strings.Repeat("\u3000", u.Depth) }

type adminUnitsData struct {
	Rows []unitRow
}

func (s *Pages) adminUnitsPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	units, err := s.Org.Units(r.Context())
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_units", "admin.units.title", adminUnitsData{Rows: unitTree(units)}, nil)
	return nil
}

type adminUnitData struct {
	New   bool
	Form  org.Unit
	Units []unitRow // choices of parent
	Kinds []org.UnitKind
}

func unitKinds() []org.UnitKind {
	out := make([]org.UnitKind, len(org.UnitKinds))
	for i, k := range org.UnitKinds {
		out[i] = k.Kind
	}
	return out
}

func (s *Pages) showUnitForm(w http.ResponseWriter, r *http.Request, isNew bool, f org.Unit, err error) {
	units, uerr := s.Org.Units(r.Context())
	if uerr != nil {
		s.PageError(w, r, uerr)
		return
	}
	title := "admin.units.edit"
	if isNew {
		title = "admin.units.new"
	}
	s.adminRender(w, r, "admin_unit", title, adminUnitData{New: isNew, Form: f, Units: unitTree(units), Kinds: unitKinds()}, err)
}

func unitFromForm(r *http.Request) org.Unit {
	return org.Unit{
		Code:       strings.TrimSpace(r.PostFormValue("code")),
		Name:       strings.TrimSpace(r.PostFormValue("name")),
		NameEn:     strings.TrimSpace(r.PostFormValue("name_en")),
		NameMn:     strings.TrimSpace(r.PostFormValue("name_mn")),
		Kind:       org.UnitKind(r.PostFormValue("kind")),
		ParentCode: r.PostFormValue("parent_code"),
		Township:   strings.TrimSpace(r.PostFormValue("township")),
		// The setting is a checkbox: unticked, the form sends nothing.
		DispatchByBureau: r.PostFormValue("dispatch_by_bureau") != "",
	}
}

func (s *Pages) adminNewUnitPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.showUnitForm(w, r, true, org.Unit{Kind: org.UnitStation, ParentCode: r.URL.Query().Get("parent")}, nil)
	return nil
}

func (s *Pages) adminAddUnit(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u := unitFromForm(r)
	if err := s.Org.AddUnit(r.Context(), admin, &u); err != nil {
		s.showUnitForm(w, r, true, u, err)
		return nil
	}
	s.done(w, r, "/staff/admin/units", "admin.units.added", u.Name)
	return nil
}

func (s *Pages) adminEditUnitPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	u, err := s.Org.Unit(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	s.showUnitForm(w, r, false, u, nil)
	return nil
}

func (s *Pages) adminEditUnit(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u := unitFromForm(r)
	u.Code = r.PathValue("code")
	if err := s.Org.UpdateUnit(r.Context(), admin, u); err != nil {
		s.showUnitForm(w, r, false, u, err)
		return nil
	}
	s.done(w, r, "/staff/admin/units", "admin.units.saved", u.Name)
	return nil
}

type adminUsersData struct {
	Users     []org.User
	UnitNames map[string]string
}

func (s *Pages) adminUsersPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	users, err := s.Org.Users(r.Context(), admin)
	if err != nil {
		return err
	}
	names, err := s.unitNames(r)
	if err != nil {
		return err
	}
	s.adminRender(w, r, "admin_users", "admin.users.title", adminUsersData{Users: users, UnitNames: names}, nil)
	return nil
}

type adminUserData struct {
	New  bool
	Self bool // the administrator is editing their own account
	TOTP bool // the user has a second factor
	tokenList
	Form     org.User
	Roles    []org.Role
	Units    []unitRow
	Branches []org.Branch
	Record   *memberRecord // the user's record of the year (members.go); nil for a new user
}

func roles() []org.Role {
	out := make([]org.Role, len(org.Roles))
	for i, x := range org.Roles {
		out[i] = x.Role
	}
	return out
}

func (s *Pages) showUserForm(w http.ResponseWriter, r *http.Request, d adminUserData, err error) {
	ctx := r.Context()
	units, uerr := s.Org.Units(ctx)
	if uerr != nil {
		s.PageError(w, r, uerr)
		return
	}
	branches, berr := s.Org.Branches(ctx)
	if berr != nil {
		s.PageError(w, r, berr)
		return
	}
	d.Roles, d.Units, d.Branches = roles(), unitTree(units), branches
	title := "admin.users.edit"
	if d.New {
		title = "admin.users.new"
	}
	s.adminRender(w, r, "admin_user", title, d, err)
}

// userFromForm reads the fields an administrator may set; the caller adds
// what the form does not carry.
func userFromForm(r *http.Request) org.User {
	return org.User{
		Name:        strings.ToLower(strings.TrimSpace(r.PostFormValue("name"))),
		DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Role:        org.Role(r.PostFormValue("role")),
		UnitCode:    r.PostFormValue("unit"),
		BranchCode:  r.PostFormValue("branch"),
		PartyMember: r.PostFormValue("party_member") == "1",
	}
}

func (s *Pages) adminNewUserPage(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.adminOnly(w, r); !ok {
		return nil
	}
	s.showUserForm(w, r, adminUserData{New: true, Form: org.User{Role: org.RoleOfficer}}, nil)
	return nil
}

type adminPasswordData struct {
	User     org.User
	Password string
	New      bool
}

// adminAddUser creates an account and shows its initial password, once,
// after a redirect (showOnce): never in a cookie, a URL or the session.
func (s *Pages) adminAddUser(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u := userFromForm(r)
	password, err := s.Org.AddUser(r.Context(), admin, &u)
	if err != nil {
		s.showUserForm(w, r, adminUserData{New: true, Form: u}, err)
		return nil
	}
	s.Log.InfoContext(r.Context(), "user added", "name", u.Name, "role", u.Role)
	s.showOnce(w, r, adminShownArea, shownPassword, adminPasswordData{User: u, Password: password, New: true})
	return nil
}

// userToEdit loads the user named in the path, for admin, or shows why not.
func (s *Pages) userToEdit(w http.ResponseWriter, r *http.Request, admin org.User) (org.User, bool) {
	u, err := s.Org.User(r.Context(), admin, r.PathValue("name"))
	if err != nil {
		s.PageError(w, r, err)
		return org.User{}, false
	}
	return u, true
}

func (s *Pages) adminEditUserPage(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u, ok := s.userToEdit(w, r, admin)
	if !ok {
		return nil
	}
	hasTOTP, err := s.Org.HasTOTP(r.Context(), admin, u)
	if err != nil {
		return err
	}
	tokens, err := s.tokensOf(r, admin, u, "/staff/admin/users/"+u.Name+"/tokens/")
	if err != nil {
		return err
	}
	d := adminUserData{Form: u, Self: u.ID == admin.ID, TOTP: hasTOTP, tokenList: tokens}
	if u.IsStaff() {
		rec, err := s.memberRecord(r.Context(), admin, u.Name)
		if err != nil {
			return err
		}
		d.Record = &rec
	}
	s.showUserForm(w, r, d, nil)
	return nil
}

func (s *Pages) adminEditUser(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	old, ok := s.userToEdit(w, r, admin)
	if !ok {
		return nil
	}
	u := userFromForm(r)
	u.Name, u.Disabled = old.Name, old.Disabled
	if err := s.Org.ChangeUser(r.Context(), admin, u); err != nil {
		u.ID = old.ID
		s.showUserForm(w, r, adminUserData{Form: u, Self: old.ID == admin.ID}, err)
		return nil
	}
	s.done(w, r, "/staff/admin/users", "admin.users.saved", u.Name)
	return nil
}

// adminSetUserStatus disables or enables an account. A disabled user's
// session ends at their next request (core.Base.SessionUser) and their API tokens
// stop working (org.Service.Authenticate).
func (s *Pages) adminSetUserStatus(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u, ok := s.userToEdit(w, r, admin)
	if !ok {
		return nil
	}
	u.Disabled = r.PostFormValue("disabled") == "1"
	if err := s.Org.ChangeUser(r.Context(), admin, u); err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "user status changed", "name", u.Name, "disabled", u.Disabled, "by", admin.Name)
	key := "admin.users.enabled"
	if u.Disabled {
		key = "admin.users.disabled"
	}
	s.done(w, r, "/staff/admin/users/"+u.Name+"/edit", key, u.Name)
	return nil
}

// adminResetPassword gives a user a new random password, shown once after
// a redirect.
func (s *Pages) adminResetPassword(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u, ok := s.userToEdit(w, r, admin)
	if !ok {
		return nil
	}
	password, err := s.Org.ResetPassword(r.Context(), admin, u)
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "password reset", "name", u.Name, "by", admin.Name)
	s.showOnce(w, r, adminShownArea, shownPassword, adminPasswordData{User: u, Password: password})
	return nil
}

// adminResetTOTP removes a user's second factor, for a lost phone; they log
// in with the password alone and set up a new one.
func (s *Pages) adminResetTOTP(w http.ResponseWriter, r *http.Request) error {
	admin, ok := s.adminOnly(w, r)
	if !ok {
		return nil
	}
	u, ok := s.userToEdit(w, r, admin)
	if !ok {
		return nil
	}
	if err := s.Org.ResetTOTP(r.Context(), admin, u); err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "second factor removed", "name", u.Name, "by", admin.Name)
	s.done(w, r, "/staff/admin/users/"+u.Name+"/edit", "admin.users.totp_reset", u.Name)
	return nil
}
