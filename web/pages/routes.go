package pages

import "minyi/web/core"

// route is one HTML page or form target. Pages share the session, CSRF
// and language handling; who may do what is still decided by the services
// behind them.
type route struct {
	method, pattern string
	handler         core.Handler
	// access is "public", "staff" (logged in; else sent to the login page)
	// or "staff-poll": a staff route that a page's script asks in the
	// background (the header's count of notifications), which is not the
	// user's activity and so does not extend the session's idle timeout.
	access string
}

// routes lists every page of minyi, one list per register or area: the
// citizen portal first, then the staff workspace. A new register adds its
// list here.
func (s *Pages) routes() [][]route {
	return [][]route{
		s.citizenRoutes(),
		s.accountabilityRoutes(),
		s.accountRoutes(),
		s.itemRoutes(),
		s.meetingRoutes(),
		s.matterRoutes(),
		s.measureRoutes(),
		s.disputeRoutes(),
		s.volunteerRoutes(),
		s.pointRoutes(),
		s.publicityRoutes(),
		s.bookingRoutes(),
		s.onestopRoutes(),
		s.surveyRoutes(),
		s.indicatorRoutes(),
		s.importRoutes(),
		s.branchRoutes(),
		s.campaignRoutes(),
		s.reportingRoutes(),
		s.reportRoutes(),
		s.issuedRoutes(),
		s.qrRoutes(),
		s.adminRoutes(),
	}
}

// citizenRoutes are the citizen portal: writing in, tracking an item, the
// public desk of answers, and the reader's preferences.
func (s *Pages) citizenRoutes() []route {
	return []route{
		{"GET", "/{$}", s.homePage, "public"},
		{"GET", "/prefs", s.setPreference, "public"},
		{"GET", "/write", s.writePage, "public"},
		{"POST", "/write", s.submitWrite, "public"},
		{"GET", "/track", s.trackFormPage, "public"},
		{"POST", "/track", s.trackLookup, "public"},
		{"GET", "/track/{number}", s.trackPage, "public"},
		{"GET", "/track/{number}/receipt", s.receiptPage, "public"},
		{"POST", "/track/{number}/rate", s.trackRate, "public"},
		{"POST", "/track/{number}/add", s.trackAdd, "public"},
		{"GET", "/track/{number}/withdraw", s.trackWithdrawPage, "public"},
		{"POST", "/track/{number}/withdraw", s.trackWithdraw, "public"},
		{"GET", "/track/{number}/photos/{id}", s.trackPhoto, "public"},
		{"GET", "/track/{number}/attachments/{id}", s.trackAttachment, "public"},
		{"GET", "/desk", s.deskPage, "public"},
		{"GET", "/desk/{number}", s.deskQuestionPage, "public"},
		{"GET", "/ask", s.askPage, "public"},
		{"POST", "/ask", s.submitAsk, "public"},
		{"GET", "/privacy", s.privacyPage, "public"},
	}
}

// accountabilityRoutes are the citizen portal's ledgers: the published
// practical matters (我们办的实事) and where to get things done (哪里办).
func (s *Pages) accountabilityRoutes() []route {
	return []route{
		{"GET", "/matters", s.citizenMattersPage, "public"},
		{"GET", "/matters/{id}", s.citizenMatterPage, "public"},
		{"GET", "/service-points", s.citizenPointsPage, "public"},
	}
}

// accountRoutes are logging in and out and a member of staff's own
// account: password, second factor, API tokens.
func (s *Pages) accountRoutes() []route {
	return []route{
		{"GET", "/login", s.loginPage, "public"},
		{"POST", "/login", s.login, "public"},
		{"POST", "/logout", s.logout, "public"},
		{"GET", "/login/totp", s.loginTOTPPage, "public"},
		{"POST", "/login/totp", s.loginTOTP, "public"},
		{"GET", "/staff/account", s.accountPage, "staff"},
		{"POST", "/staff/account/password", s.changePassword, "staff"},
		{"POST", "/staff/account/totp/start", s.startTOTP, "staff"},
		{"POST", "/staff/account/totp/confirm", s.confirmTOTP, "staff"},
		{"POST", "/staff/account/totp/disable", s.disableTOTP, "staff"},
		{"GET", "/staff/account/totp/qr.svg", s.totpQR, "staff"},
		{"POST", "/staff/account/tokens", s.createOwnToken, "staff"},
		{"GET", accountShownArea + "{id}", s.accountShownPage, "staff"},
		{"POST", "/staff/account/tokens/{id}/revoke", s.revokeOwnToken, "staff"},
	}
}

// itemRoutes are the items register's staff pages: the inbox, paper entry
// and the item's desk.
func (s *Pages) itemRoutes() []route {
	return []route{
		{"GET", "/staff", s.inboxPage, "staff"},
		{"POST", "/staff/dispatch", s.bulkDispatch, "staff"},
		{"GET", "/staff/mine", s.minePage, "staff"},
		{"GET", "/staff/notifications", s.notificationsPage, "staff"},
		{"GET", "/staff/notifications/count", s.notificationsCount, "staff-poll"},
		{"POST", "/staff/notifications/read", s.notificationsReadAll, "staff"},
		{"POST", "/staff/notifications/{id}/read", s.notificationRead, "staff"},
		{"GET", "/staff/workload", s.workloadPage, "staff"},
		{"GET", "/staff/entry", s.entryPage, "staff"},
		{"POST", "/staff/entry", s.submitEntry, "staff"},
		{"GET", "/staff/items/{number}", s.itemDeskPage, "staff"},
		{"POST", "/staff/items/{number}/act", s.itemDeskAct, "staff"},
		{"POST", "/staff/items/{number}/reveal", s.itemDeskReveal, "staff"},
		{"GET", "/staff/items/{number}/shown/{id}", s.itemDeskShownPage, "staff"},
		{"GET", "/staff/items/{number}/desk", s.deskReviewPage, "staff"},
		{"POST", "/staff/items/{number}/desk", s.deskReviewPublish, "staff"},
		{"GET", "/staff/items/{number}/photos/{id}", s.itemDeskPhoto, "staff"},
		{"GET", "/staff/items/{number}/attachments/{id}", s.itemDeskAttachment, "staff"},
	}
}

// meetingRoutes are the meetings register's pages.
func (s *Pages) meetingRoutes() []route {
	return []route{
		{"GET", "/staff/meetings", s.meetingsPage, "staff"},
		{"GET", "/staff/meetings/new", s.meetingNewPage, "staff"},
		{"POST", "/staff/meetings", s.createMeeting, "staff"},
		{"GET", "/staff/meetings/{id}", s.meetingPage, "staff"},
	}
}

// matterRoutes are the practical matters' pages (实事台账).
func (s *Pages) matterRoutes() []route {
	return []route{
		{"GET", "/staff/matters", s.mattersPage, "staff"},
		{"GET", "/staff/matters/new", s.matterNewPage, "staff"},
		{"POST", "/staff/matters", s.createMatter, "staff"},
		{"GET", "/staff/matters/{id}", s.matterPage, "staff"},
		{"GET", "/staff/matters/{id}/edit", s.matterEditPage, "staff"},
		{"POST", "/staff/matters/{id}", s.editMatter, "staff"},
		{"POST", "/staff/matters/{id}/act", s.matterAct, "staff"},
		{"POST", "/staff/matters/{id}/reveal", s.matterReveal, "staff"},
		{"GET", "/staff/matters/{matter}/shown/{id}", s.matterShownPage, "staff"},
		{"GET", "/staff/matters/{matter}/photos/{id}", s.matterPhoto, "staff"},
	}
}

// reportingRoutes are the figures every register feeds: the dashboard.
func (s *Pages) reportingRoutes() []route {
	return []route{
		{"GET", "/staff/dashboard", s.dashboardPage, "staff"},
		{"GET", "/staff/figures", s.figuresPage, "staff"},
		{"GET", "/staff/figures/ledgers.xlsx", s.ledgerWorkbook, "staff"},
	}
}

// qrRoutes are the posters whose QR codes lead citizens to the write-in
// page of a unit.
func (s *Pages) qrRoutes() []route {
	return []route{
		{"GET", "/qr", s.qrIndexPage, "staff"},
		{"GET", "/qr/go", s.qrGo, "staff"},
		{"GET", "/qr/{unit}", s.qrPosterPage, "staff"},
		{"GET", "/qr/{unit}/code.svg", s.qrCodeSVG, "staff"},
	}
}

// adminRoutes are the administrators' pages: the organisation, the
// archive's configuration, what leaves minyi, and the settings.
func (s *Pages) adminRoutes() []route {
	return []route{
		{"GET", "/staff/admin", s.adminIndex, "staff"},
		{"GET", adminShownArea + "{id}", s.adminShownPage, "staff"},
		{"GET", "/staff/admin/units", s.adminUnitsPage, "staff"},
		{"GET", "/staff/admin/units/new", s.adminNewUnitPage, "staff"},
		{"POST", "/staff/admin/units", s.adminAddUnit, "staff"},
		{"GET", "/staff/admin/units/{code}/edit", s.adminEditUnitPage, "staff"},
		{"POST", "/staff/admin/units/{code}", s.adminEditUnit, "staff"},
		{"GET", "/staff/admin/users", s.adminUsersPage, "staff"},
		{"GET", "/staff/admin/users/new", s.adminNewUserPage, "staff"},
		{"POST", "/staff/admin/users", s.adminAddUser, "staff"},
		{"GET", "/staff/admin/users/{name}/edit", s.adminEditUserPage, "staff"},
		{"POST", "/staff/admin/users/{name}", s.adminEditUser, "staff"},
		{"POST", "/staff/admin/users/{name}/status", s.adminSetUserStatus, "staff"},
		{"POST", "/staff/admin/users/{name}/password", s.adminResetPassword, "staff"},
		{"POST", "/staff/admin/users/{name}/totp", s.adminResetTOTP, "staff"},
		{"POST", "/staff/admin/users/{name}/tokens/{id}/revoke", s.adminRevokeToken, "staff"},
		{"GET", "/staff/admin/categories", s.adminCategoriesPage, "staff"},
		{"GET", "/staff/admin/categories/new", s.adminNewCategoryPage, "staff"},
		{"POST", "/staff/admin/categories", s.adminAddCategory, "staff"},
		{"GET", "/staff/admin/categories/{code}/edit", s.adminEditCategoryPage, "staff"},
		{"POST", "/staff/admin/categories/{code}", s.adminEditCategory, "staff"},
		{"GET", "/staff/admin/calendar", s.adminCalendarPage, "staff"},
		{"POST", "/staff/admin/calendar", s.adminPutCalendar, "staff"},
		{"GET", "/staff/admin/canned", s.adminCannedPage, "staff"},
		{"GET", "/staff/admin/canned/new", s.adminNewCannedPage, "staff"},
		{"POST", "/staff/admin/canned", s.adminAddCanned, "staff"},
		{"GET", "/staff/admin/canned/{id}/edit", s.adminEditCannedPage, "staff"},
		{"POST", "/staff/admin/canned/{id}", s.adminEditCanned, "staff"},
		{"GET", "/staff/admin/desk", s.adminDeskPage, "staff"},
		{"POST", "/staff/admin/desk/{number}", s.adminDeskSet, "staff"},
		{"GET", "/staff/admin/apikeys", s.adminAPIKeysPage, "staff"},
		{"GET", "/staff/admin/apikeys/new", s.adminNewAPIKeyPage, "staff"},
		{"POST", "/staff/admin/apikeys", s.adminAddAPIKey, "staff"},
		{"GET", "/staff/admin/apikeys/{name}/revoke", s.adminRevokeAPIKeyPage, "staff"},
		{"POST", "/staff/admin/apikeys/{name}/revoke", s.adminRevokeAPIKey, "staff"},
		{"GET", "/staff/admin/webhooks", s.adminWebhooksPage, "staff"},
		{"GET", "/staff/admin/webhooks/new", s.adminNewWebhookPage, "staff"},
		{"POST", "/staff/admin/webhooks", s.adminAddWebhook, "staff"},
		{"GET", "/staff/admin/webhooks/{id}", s.adminWebhookPage, "staff"},
		{"GET", "/staff/admin/webhooks/{id}/edit", s.adminEditWebhookPage, "staff"},
		{"POST", "/staff/admin/webhooks/{id}", s.adminEditWebhook, "staff"},
		{"GET", "/staff/admin/notices", s.adminNoticesPage, "staff"},
		{"GET", "/staff/admin/settings", s.adminSettingsPage, "staff"},
		{"POST", "/staff/admin/settings", s.adminSetSettings, "staff"},
	}
}
