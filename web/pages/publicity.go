package pages

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/locale"
	"minyi/org"
	"minyi/pubchannel"
	"minyi/publicity"
	"minyi/web/core"
)

// The publicity ledger's pages (宣传报道台账): the list with its filters
// (channel, unit, campaign, period, words) and total, a new piece, a piece
// with the matters and campaign it reports, and the change of its fields
// against the version read. The channels are the bureau's (pubchannel).

var publicityLedger = ledger{publicity.Register, "publicity", "piece", "publicity piece"}

// publicityRoutes are the publicity ledger's pages.
func (s *Pages) publicityRoutes() []route {
	return []route{
		{"GET", "/staff/publicity", s.publicityPage, "staff"},
		{"GET", "/staff/publicity/new", s.pieceNewPage, "staff"},
		{"POST", "/staff/publicity", s.createPiece, "staff"},
		{"GET", "/staff/publicity/{id}", s.piecePage, "staff"},
		{"GET", "/staff/publicity/{id}/edit", s.pieceEditPage, "staff"},
		{"POST", "/staff/publicity/{id}", s.editPiece, "staff"},
	}
}

// channelChoice is a channel as a page names it, in the reader's language.
type channelChoice struct {
	Code, Name string
}

// channelChoices are the bureau's channels named for the reader, and the
// names by code, which also name a channel the bureau dropped that keep
// names (the pieces published on it show its code).
func (s *Pages) channelChoices(ctx context.Context, lang locale.Lang) ([]channelChoice, map[string]string, error) {
	cs, err := s.Svc.Publicity.Channels(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]channelChoice, len(cs))
	names := make(map[string]string, len(cs))
	for i, c := range cs {
		out[i] = channelChoice{c.Code, channelName(s, lang, c)}
		names[c.Code] = out[i].Name
	}
	return out, names, nil
}

func channelName(s *Pages, lang locale.Lang, c pubchannel.Channel) string {
	if lang == locale.En {
		return c.En
	}
	return s.Catalog.Convert(lang, c.Zh)
}

type publicityData struct {
	ledgerListPage
	Page         publicity.Page
	Channels     []channelChoice
	ChannelNames map[string]string
}

// pieceFilter reads the publicity list's filter.
func pieceFilter(r *http.Request) (publicity.Filter, map[string]string, error) {
	rf, params := listQuery(r, "channel", "unit", "branch", "from", "to", "campaign")
	camp, err := listCampaign(params)
	return publicity.Filter{Filter: rf, Channel: publicity.Channel(params["channel"]),
		Unit: params["unit"], Branch: params["branch"], From: params["from"], To: params["to"], Campaign: camp}, params, err
}

// publicityPage lists the pieces the user may see, latest first, with the
// filters of the API (channel, unit, branch, campaign, the publication
// days, words) and the count of all that match.
func (s *Pages) publicityPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	page, params, done, err := listOrExport(s, w, r, core.PublicityExport, pieceFilter, s.Svc.Publicity.List)
	if done || err != nil {
		return err
	}
	l, err := listPage(ctx, s, u, params, page)
	if err != nil {
		return err
	}
	channels, names, err := s.channelChoices(ctx, core.PreferredLang(r))
	if err != nil {
		return err
	}
	v := s.NewView(w, r, "", publicityData{ledgerListPage: l, Page: page, Channels: channels, ChannelNames: names})
	v.Title = v.T("publicity.title")
	s.Render(w, r, http.StatusOK, "publicity", v)
	return nil
}

// pieceForm is the piece form as staff filled it.
type pieceForm struct {
	Date, Channel, Outlet, Title, Link, Unit, Branch, Matters, Note string
	Campaign                                                        string
	Version                                                         int
}

func readPieceForm(r *http.Request, u org.User) pieceForm {
	f := pieceForm{Date: strings.TrimSpace(r.PostFormValue("date")), Channel: r.PostFormValue("channel"),
		Outlet: r.PostFormValue("outlet"), Title: r.PostFormValue("title"), Link: r.PostFormValue("link"),
		Unit: r.PostFormValue("unit"), Branch: r.PostFormValue("branch"), Matters: r.PostFormValue("matters"),
		Note: r.PostFormValue("note"), Campaign: r.PostFormValue("campaign")}
	if !u.SeesAll() && f.Unit == "" {
		// The form shows unit staff their own unit; the service refuses
		// any other.
		f.Unit = u.UnitCode
	}
	return f
}

func pieceFormOf(pc publicity.Piece) pieceForm {
	ids := make([]string, len(pc.Matters))
	for i, id := range pc.Matters {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return pieceForm{Date: pc.Date, Channel: string(pc.Channel), Outlet: pc.Outlet, Title: pc.Title, Link: pc.Link,
		Unit: pc.Unit, Branch: pc.Branch, Matters: strings.Join(ids, "\n"), Note: pc.Note, Campaign: campaignValue(pc.Campaign),
		Version: pc.Version}
}

// piece is the piece the form describes, with the problems of the values
// it cannot read (a matter's id that is no number, passed on as 0, which
// the service refuses too).
func (f pieceForm) piece() (publicity.Piece, minyi.Problems) {
	var p minyi.Problems
	pc := publicity.Piece{Date: f.Date, Channel: publicity.Channel(strings.TrimSpace(f.Channel)), Outlet: f.Outlet, Title: f.Title,
		Link: f.Link, Unit: f.Unit, Branch: f.Branch, Note: f.Note, Matters: []int64{}, Campaign: formCampaign(&p, f.Campaign)}
	for _, x := range splitList(f.Matters) {
		id, err := strconv.ParseInt(strings.TrimPrefix(x, "#"), 10, 64)
		if err != nil {
			p.Add("matters", "实事编号须为正整数："+x, "matters: ids are positive numbers: "+x)
			id = 0
		}
		pc.Matters = append(pc.Matters, id)
	}
	return pc, p
}

type pieceFormData struct {
	ledgerFormPage
	Form     pieceForm
	Channels []channelChoice
	Today    string
}

func (s *Pages) showPieceForm(w http.ResponseWriter, r *http.Request, status int, u org.User, id int64, f pieceForm, errs map[string]string) {
	v, page, ok := publicityLedger.formView(s, w, r, status, u, id, f.Title, f.Campaign, errs)
	if !ok {
		return
	}
	channels, names, err := s.channelChoices(r.Context(), core.PreferredLang(r))
	if err != nil {
		s.PageError(w, r, err)
		return
	}
	if _, listed := names[f.Channel]; f.Channel != "" && !listed && id != 0 {
		// A piece on a channel the bureau has since dropped keeps it.
		channels = append(channels, channelChoice{f.Channel, f.Channel})
	}
	v.Data = pieceFormData{ledgerFormPage: page, Form: f, Channels: channels, Today: chinaToday()}
	s.Render(w, r, status, "piece_form", v)
}

// pieceNewPage shows an empty piece form, published today.
func (s *Pages) pieceNewPage(w http.ResponseWriter, r *http.Request) error {
	u, _ := core.UserFrom(r.Context())
	if !u.CanFile() {
		return readOnly()
	}
	s.showPieceForm(w, r, http.StatusOK, u, 0, pieceForm{Unit: u.UnitCode, Date: chinaToday(),
		Campaign: r.URL.Query().Get("campaign"), Matters: r.URL.Query().Get("matter")}, nil)
	return nil
}

// createPiece records a piece once per form (fileOnce) and shows it.
func (s *Pages) createPiece(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	if !u.CanFile() {
		return readOnly()
	}
	f := readPieceForm(r, u)
	pc, p := f.piece()
	return publicityLedger.create(s, w, r, p, func(form archive.Form) (int64, error) {
		pc.Form = form
		pc, err := s.Svc.Publicity.Create(ctx, u, pc)
		return pc.ID, err
	}, func(status int, errs map[string]string) {
		s.showPieceForm(w, r, status, u, 0, f, errs)
	})
}

// pieceMatter is a matter a piece reports, with its title when the reader
// may see it.
type pieceMatter struct {
	ID    int64
	Title string
}

type pieceData struct {
	ledgerChoices
	Piece       publicity.Piece
	ChannelName string
	Matters     []pieceMatter
	CanEdit     bool
}

// piecePage shows a piece with the matters and the campaign it reports.
func (s *Pages) piecePage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _, pc, err := ledgerRecord(r, publicity.Noun, s.Svc.Publicity.Get)
	if err != nil {
		return err
	}
	c, err := s.ledgerChoicesKeeping(ctx, u, campaignValue(pc.Campaign))
	if err != nil {
		return err
	}
	info, err := s.Svc.Publicity.ChannelName(ctx, pc.Channel)
	if err != nil {
		return err
	}
	d := pieceData{ledgerChoices: c, Piece: pc, ChannelName: channelName(s, core.PreferredLang(r), info),
		CanEdit: !u.Disabled && archive.MayFile(u, "unit", pc.Unit) == nil}
	for _, id := range pc.Matters {
		m := pieceMatter{ID: id}
		// A matter moved since to a unit the reader cannot see shows its
		// number alone.
		if got, err := s.Svc.Matters.Get(ctx, u, id); err == nil {
			m.Title = got.Title
		} else if c := minyi.ErrorCode(err); c != minyi.EForbidden && c != minyi.ENotFound {
			return err
		}
		d.Matters = append(d.Matters, m)
	}
	v := s.NewView(w, r, "", d)
	v.Title = v.Conv(pc.Title)
	s.Render(w, r, http.StatusOK, "piece", v)
	return nil
}

// pieceEditPage shows the form of a piece's fields at its version.
func (s *Pages) pieceEditPage(w http.ResponseWriter, r *http.Request) error {
	u, id, pc, err := ledgerRecord(r, publicity.Noun, s.Svc.Publicity.Get)
	if err != nil {
		return err
	}
	if u.Disabled || archive.MayFile(u, "unit", pc.Unit) != nil {
		return readOnly()
	}
	s.showPieceForm(w, r, http.StatusOK, u, id, pieceFormOf(pc), nil)
	return nil
}

// editPiece changes a piece's fields against the version the form was
// filled from; a stale version shows the form again with what was written
// and the version now stored.
func (s *Pages) editPiece(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := core.UserFrom(ctx)
	id, err := recordID(r, publicity.Noun)
	if err != nil {
		return err
	}
	f := readPieceForm(r, u)
	version := 0
	if v := formVersion(r); v != nil {
		version, f.Version = *v, *v
	}
	pc, p := f.piece()
	err = p.Err()
	if err == nil {
		_, err = s.Svc.Publicity.Update(ctx, u, id, version, publicity.Patch{Date: &pc.Date, Channel: &pc.Channel,
			Outlet: &pc.Outlet, Title: &pc.Title, Link: &pc.Link, Branch: &pc.Branch, Campaign: &pc.Campaign,
			Matters: &pc.Matters, Note: &pc.Note})
	}
	return publicityLedger.changed(s, w, r, id, err, func() {
		if now, gerr := s.Svc.Publicity.Get(ctx, u, id); gerr == nil {
			f.Version, f.Unit = now.Version, now.Unit
		}
	}, func(status int, errs map[string]string) {
		s.showPieceForm(w, r, status, u, id, f, errs)
	})
}
