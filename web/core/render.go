package core

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/locale"
	"minyi/org"
	"minyi/outcome"
	"minyi/textsearch"
)

// View is what every page template receives: the reader's preferences and
// identity around the page's own data.
type View struct {
	Lang   locale.Lang
	Large  bool // elder-friendly mode (大字版)
	User   *org.User
	CSRF   string
	Agency string
	Path   string // the request's path and query, to come back to after a switch
	Title  string
	Flash  string
	Errors map[string]string // field → message, for forms
	Data   any
	Now    time.Time
	// DutyPhone is the bureau's duty phone, on the pages that show the
	// emergency notice (pages.withEmergency).
	DutyPhone string
	// Site is what the footer says of the site (archive.Site), read by
	// Render for every page.
	Site archive.Site
	// siteRead says Site was read, so that it is read once a page.
	siteRead bool
	// Unread counts the staff reader's unread notifications (the header's
	// 通知 n); NotifyPoll is how often, in milliseconds, app.js asks again.
	Unread     int
	NotifyPoll int64
	// Mongolian says the page shows Mongolian text whatever the reader's
	// language (the bilingual QR posters and receipts), so the layout
	// links the Mongolian font.
	Mongolian bool
	// RevealExport says the reader may export the page's list with the
	// personal data in full (the register's reveal rule: MayRevealAll),
	// so its export links offer that too (RevealURL), recorded as the
	// API's reveal=1 is.
	RevealExport bool
	cat          *locale.Catalog
	// names maps the Chinese names of units and categories to the names
	// admins gave them in the reader's language, for readers of English
	// and Mongolian (Conv).
	names map[string]string
}

// DefaultNotifyPoll is how often a visible staff page asks for the count
// of unread notifications.
const DefaultNotifyPoll = time.Minute

// T translates a message key into the reader's language.
func (v *View) T(key string, args ...any) string { return v.cat.T(v.Lang, key, args...) }

// TIn returns the message for key in l whatever the reader's language, for
// the texts printed in two scripts (QR posters, receipts).
func (v *View) TIn(l locale.Lang, key string, args ...any) string { return v.cat.T(l, key, args...) }

// ExportURL is the page's own address asking for its list as a file of
// format (csv or xlsx, ExportFormat): the filter as the page shows it, the
// page's cursor dropped (an export holds every record the filter selects).
func (v *View) ExportURL(format string) string {
	path, query, _ := strings.Cut(v.Path, "?")
	q, _ := url.ParseQuery(query)
	q.Del("cursor")
	q.Set("format", format)
	return path + "?" + q.Encode()
}

// RevealURL is the page's list exported as format with the personal data
// in full (reveal=1, core.RevealParam).
func (v *View) RevealURL(format string) string { return v.ExportURL(format) + "&reveal=1" }

// Conv shows text stored in simplified Chinese in the reader's script. The
// name of a unit or category shows as the name admins gave it in the
// reader's language (English, Mongolian), when they gave one.
func (v *View) Conv(text string) string {
	if n, ok := v.names[text]; ok {
		return n
	}
	return v.cat.Convert(v.Lang, text)
}

// Problem shows a service's problem, given in Chinese and English (an
// import's row errors), in the reader's language, as FieldErrors does.
func (v *View) Problem(zh, en string) string { return localText(v.cat, v.Lang, zh, en) }

// Script shows text a citizen or officer wrote, in either script, in the
// script the reader chose: traditional converted for a reader of
// simplified Chinese, simplified for a reader of traditional (Conv), as
// written for the others. Search treats the scripts as one; so do the
// pages that show what it finds.
func (v *View) Script(text string) string {
	if v.Lang == locale.Hans {
		return textsearch.Simplified(text)
	}
	return v.Conv(text)
}

// Label names a code (kind, channel, status, …) in the reader's language.
func (v *View) Label(group string, code any) string {
	c := fmt.Sprint(code)
	if c == "" {
		return ""
	}
	return v.T(group + "." + c)
}

// Outcome names a matter's counted outcome in the reader's language: its
// English name, or its Chinese name and unit in the reader's script. A key
// the bureau no longer lists (only its code known) is named by the
// catalogue's matter.outcome.<code>, or else by its code.
func (v *View) Outcome(k outcome.Key) string {
	switch {
	case k.Zh == "" && v.cat.Has("matter.outcome."+k.Code):
		return v.T("matter.outcome." + k.Code)
	case k.Zh == "":
		return k.Code
	case v.Lang == locale.En:
		return k.En
	}
	return v.Conv(k.Label())
}

// Langs lists the language switch's choices.
func (v *View) Langs() []locale.Lang { return locale.Langs }

// Err returns the message for a form field, if it was refused.
func (v *View) Err(field string) string { return v.Errors[field] }

// Templates hold one template set per page: the layout and partials, plus
// the page's own file, so that pages can each define "main" without
// clashing (web/pages loads them).
type Templates map[string]*template.Template

// NewView gathers what every page needs from the request.
func (s *Base) NewView(w http.ResponseWriter, r *http.Request, title string, data any) *View {
	v := &View{
		Lang:   PreferredLang(r),
		Large:  prefersLarge(r),
		CSRF:   csrfToken(r),
		Agency: s.Config.AgencyName,
		Path:   r.URL.RequestURI(),
		Title:  title,
		Data:   data,
		Now:    time.Now(),
		cat:    s.Catalog,
	}
	if u, ok := UserFrom(r.Context()); ok {
		v.User = &u
		if s.Svc.Notifications != nil {
			// A failed count shows none: the page itself matters more.
			v.Unread, _ = s.Svc.Notifications.Unread(r.Context(), u)
		}
		v.NotifyPoll = s.Config.NotifyPoll.Milliseconds()
		if v.NotifyPoll <= 0 {
			v.NotifyPoll = DefaultNotifyPoll.Milliseconds()
		}
	}
	v.Flash = s.popFlash(w, r)
	if v.Lang == locale.En || v.Lang == locale.Mn {
		v.names = s.names(r, v.Lang)
	}
	return v
}

// names reads the English or Mongolian names admins gave the units and
// categories, by their Chinese names; a page is still shown, with the
// Chinese names, when they cannot be read. The two lists are short: a
// bureau has tens of units and categories.
func (s *Base) names(r *http.Request, l locale.Lang) map[string]string {
	out := map[string]string{}
	pick := func(zh, en, mn string) {
		if n := map[locale.Lang]string{locale.En: en, locale.Mn: mn}[l]; n != "" && zh != "" {
			out[zh] = n
		}
	}
	if s.Org != nil {
		units, err := s.Org.Units(r.Context())
		if err != nil {
			s.Log.WarnContext(r.Context(), "reading the units' names", "err", err)
		}
		for _, u := range units {
			pick(u.Name, u.NameEn, u.NameMn)
		}
	}
	if s.Svc.Config != nil {
		cats, err := s.Svc.Config.Categories(r.Context())
		if err != nil {
			s.Log.WarnContext(r.Context(), "reading the categories' names", "err", err)
		}
		for _, c := range cats {
			pick(c.Name, c.NameEn, c.NameMn)
		}
	}
	return out
}

// Render writes a page. It renders into a buffer first so that a template
// failure becomes a clean error page rather than half a page.
func (s *Base) Render(w http.ResponseWriter, r *http.Request, status int, page string, v *View) {
	t, ok := s.Templates[page]
	if !ok {
		s.PageError(w, r, minyi.Internal(errors.New("no page template "+page)))
		return
	}
	if !v.siteRead {
		v.Site, v.siteRead = s.site(r), true
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Log.ErrorContext(r.Context(), "render", "page", page, "err", err)
		http.Error(w, "内部错误 / internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// site reads the footer's particulars; a page is still shown when they
// cannot be read (the database failing), with the agency's name alone.
func (s *Base) site(r *http.Request) archive.Site {
	var out archive.Site
	if s.Svc.Config != nil {
		var err error
		if out, err = s.Svc.Config.Site(r.Context()); err != nil {
			s.Log.WarnContext(r.Context(), "reading the site's particulars", "err", err)
		}
	}
	if out.Organiser == "" {
		out.Organiser = s.Config.AgencyName
	}
	return out
}

// PageError shows err as a page in the reader's language with the status
// the API would use for it.
func (s *Base) PageError(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(w, err)
	s.Failed(w, r, status, err)
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+URLEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	v := s.NewView(w, r, "", nil)
	v.Title = v.T("error.title")
	v.Data = map[string]any{"Status": status, "Message": LocalMessage(v.Lang, minyi.ErrorMessage(err))}
	s.Render(w, r, status, "error", v)
}

// FieldErrors turns a validation error into per-field messages in the
// reader's language, or nil when err is not about fields.
func FieldErrors(cat *locale.Catalog, l locale.Lang, err error) map[string]string {
	var e *minyi.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		out[f.Field] = localText(cat, l, f.Zh, f.En)
	}
	return out
}

// localText is an error's text for readers of l from its Chinese and
// English: traditional readers get the Chinese converted, Mongolian readers
// the Mongolian text of locale/errors.json, or the Chinese where there is
// none.
func localText(cat *locale.Catalog, l locale.Lang, zh, en string) string {
	switch l {
	case locale.En:
		return en
	case locale.Mn:
		if mn, ok := cat.ErrorText(l, zh); ok {
			return mn
		}
		return zh
	}
	return cat.Convert(l, zh)
}

// FormErrors is what a refused form shows: the problems by field, or the
// whole message under "form" when the error is not about one field.
func FormErrors(cat *locale.Catalog, l locale.Lang, err error) map[string]string {
	if err == nil {
		return nil
	}
	if fe := FieldErrors(cat, l, err); fe != nil {
		return fe
	}
	return map[string]string{"form": LocalMessage(l, minyi.ErrorMessage(err))}
}

// LocalMessage picks one half of a bilingual "中文 / English" message, the
// Chinese for a Mongolian reader turned into Mongolian where
// locale/errors.json has it.
func LocalMessage(l locale.Lang, msg string) string {
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		return msg
	}
	return localText(locale.Default(), l, zh, en)
}
