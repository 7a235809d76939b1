package matter

import (
	"context"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/register"
)

// The citizens' accountability page (我们办的实事) shows the published
// matters to anybody, without a login. What it shows is an allow-list,
// PublicMatter: a field added to Matter stays internal until it is copied
// there (TestPublicMatterIsAnAllowList). Left out on purpose: who recorded
// or changed the matter and when, the user names of the lead and the
// participants, the version, the due time's instant, the items' own texts,
// and the beneficiary's phone and ID number always.

// Share is how far along the accountability page's progress bar shows a
// matter. It shows the stage reached, not a guess at the work done, which
// minyi cannot know: planned 0, in progress 50, done 100 (percent). A
// dropped matter has no bar (-1).
func Share(s Status) int {
	switch s {
	case StatusPlanned:
		return 0
	case StatusInProgress:
		return 50
	case StatusDone:
		return 100
	}
	return -1
}

// PublicText is a text staff wrote, as the public page may show it: the
// text itself, or nothing and Withheld when it holds personal data the
// page must not show (the beneficiary's name without their consent, their
// phone or ID number, anything shaped like a phone or ID number).
type PublicText struct {
	Text     string `json:"text,omitempty"`
	Withheld bool   `json:"withheld,omitempty"`
}

// PublicProgress is one dated progress entry as the public sees it: the
// day and the text, not who wrote it.
type PublicProgress struct {
	Day  string     `json:"day"`
	Text PublicText `json:"text"`
	// Photos are the ids of the entry's photos, served at
	// /matters/{id}/photos/{photo}; none unless Matter.PhotosPublic.
	Photos []int64 `json:"photos,omitempty"`
}

// PublicBeneficiary is who a matter was done for, as the public sees it:
// the kind always; the name and place only when the beneficiary consented
// (Matter.BeneficiaryConsent), else the township alone; never a phone or
// an ID number.
type PublicBeneficiary struct {
	Kind     BeneficiaryKind `json:"kind"`
	Name     string          `json:"name,omitempty"`
	Place    string          `json:"place,omitempty"`
	Township string          `json:"township,omitempty"`
}

// PublicOpinion is an opinion a matter answers, as the public sees it: an
// opinion on the online desk (archive.Item.OnDesk) by its number and its
// reviewed public title; any other only as "an opinion", neither its
// number nor its title, which the citizen did not agree to publish.
type PublicOpinion struct {
	Number string `json:"number,omitempty"`
	Title  string `json:"title,omitempty"`
}

// PublicMatter is a published matter as anybody may read it.
type PublicMatter struct {
	ID          int64         `json:"id"`
	Title       PublicText    `json:"title"`
	Description PublicText    `json:"description"`
	Class       archive.Class `json:"class"`
	Unit        string        `json:"unit"`
	// Branch is the party branch's name; LeadName the display name of the
	// officer who claimed the matter (带党徽亮身份), never their user name.
	Branch      string            `json:"branch,omitempty"`
	LeadName    string            `json:"lead_name,omitempty"`
	Township    string            `json:"township,omitempty"`
	Beneficiary PublicBeneficiary `json:"beneficiary"`
	Status      Status            `json:"status"`
	Share       int               `json:"share"`
	OpenedOn    string            `json:"opened_on"`
	DueOn       string            `json:"due_on"`
	DoneOn      string            `json:"done_on,omitempty"`
	DropReason  PublicText        `json:"drop_reason"`
	Progress    []PublicProgress  `json:"progress"`
	Story       PublicText        `json:"story"`
	Outcomes    map[string]int64  `json:"outcomes,omitempty"`
	Answers     []PublicOpinion   `json:"answers"`
	// StoryPhotos are the ids of the outcome story's photos, as
	// PublicProgress.Photos.
	StoryPhotos []int64 `json:"story_photos,omitempty"`
}

// publicPhotos are the ids of photos of m that anybody may see: none
// unless m's photos are public (Matter.PhotosPublic).
func publicPhotos(m Matter, photos []archive.PhotoInfo) []int64 {
	if !m.PhotosPublic() || len(photos) == 0 {
		return nil
	}
	ids := make([]int64, len(photos))
	for i, ph := range photos {
		ids[i] = ph.ID
	}
	return ids
}

// PublicFilter selects published matters for the accountability page. It
// has no words to search for: the search terms hold the texts the page
// withholds, and a search by a name would tell who a matter was for.
type PublicFilter struct {
	Class    archive.Class
	Unit     string
	Township string
	Limit    int
	Cursor   string
}

// TownshipOf is the township of a matter for the public page: the first
// of townships its beneficiary's place begins with (巴彦塔拉镇东村 is in
// 巴彦塔拉镇), else unitTownship, the township its unit covers (a station
// covers one; a team of the bureau none). Filter.Township selects the
// same matters in the store.
func TownshipOf(place, unitTownship string, townships []string) string {
	for _, t := range townships {
		if t != "" && strings.HasPrefix(place, t) {
			return t
		}
	}
	return unitTownship
}

// publicText is text as the public page may show it: withheld when
// archive.PersonalData finds in it the beneficiary's phone or ID number,
// their name unless they consented or it is Anonymised, or any phone or ID
// number shape. A village or group is named, not personal data.
func publicText(text string, b Beneficiary, consent bool) PublicText {
	if text == "" {
		return PublicText{}
	}
	c := archive.Contact{Phone: b.Phone, IDNumber: b.IDNumber}
	if b.Kind.Personal() && !consent && !Anonymised(b.Name) {
		c.Name = b.Name
	}
	if len(archive.PersonalData(text, c, archive.Location{})) > 0 {
		return PublicText{Withheld: true}
	}
	return PublicText{Text: text}
}

// Tellable reports whether matter id's title and story may be told in
// published text, such as a report that is issued, downloaded and
// announced to partners: neither holds what the public pages withhold
// (publicText: the beneficiary's phone or ID number, their name without
// their consent unless anonymised, any phone or ID number). The
// beneficiary is read unmasked here only to compare; nothing is revealed.
func (s *Service) Tellable(ctx context.Context, id int64) (bool, error) {
	m, err := s.Store.Matter(ctx, id)
	if err != nil {
		return false, err
	}
	for _, text := range []string{m.Title, m.Story} {
		if publicText(text, m.Beneficiary, m.BeneficiaryConsent).Withheld {
			return false, nil
		}
	}
	return true, nil
}

// Anonymised reports whether a name is already written the way Chinese
// reports name nobody: a family name and 某 (孙某, 欧阳某), or 某某. Staff
// who recorded a beneficiary so did not record who they are, and a story
// saying 孙某 names nobody either.
func Anonymised(name string) bool {
	rs := []rune(strings.TrimSpace(name))
	return len(rs) >= 2 && len(rs) <= 3 && rs[len(rs)-1] == '某'
}

// publicRefs are what a public matter names by reference, read once for a
// page: the units' townships, the branches' names, the leads' display
// names, the items' public titles.
type publicRefs struct {
	store     Store
	townships []string
	unitTown  map[string]string
	branches  map[string]string
	leads     map[string]string
	opinions  map[string]PublicOpinion
	// private are the titles of the items read that the public may not
	// see (not on the online desk), by number: a matter's text holding
	// one is withheld (privateTitle).
	private map[string]string
}

func (s *Service) publicRefs(ctx context.Context) (*publicRefs, error) {
	units, err := s.Store.Units(ctx)
	if err != nil {
		return nil, err
	}
	branches, err := s.Store.Branches(ctx)
	if err != nil {
		return nil, err
	}
	r := &publicRefs{store: s.Store, townships: Townships(units), unitTown: map[string]string{}, branches: map[string]string{},
		leads: map[string]string{}, opinions: map[string]PublicOpinion{}, private: map[string]string{}}
	for _, u := range units {
		r.unitTown[u.Code] = u.Township
	}
	for _, b := range branches {
		r.branches[b.Code] = b.Name
	}
	return r, nil
}

// Townships lists the townships the units cover, each once, in the
// units' order: the townships the public page filters by.
func Townships(units []org.Unit) []string {
	var out []string
	seen := map[string]bool{}
	for _, u := range units {
		if t := strings.TrimSpace(u.Township); t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func (r *publicRefs) lead(ctx context.Context, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	if d, ok := r.leads[name]; ok {
		return d, nil
	}
	u, err := r.store.UserByName(ctx, name)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		err = nil
	}
	if err != nil {
		return "", err
	}
	r.leads[name] = u.DisplayName // no display name: nobody named
	return u.DisplayName, nil
}

func (r *publicRefs) opinion(ctx context.Context, number string) (PublicOpinion, error) {
	if o, ok := r.opinions[number]; ok {
		return o, nil
	}
	it, err := r.store.Item(ctx, number)
	if minyi.ErrorCode(err) == minyi.ENotFound {
		err = nil
	}
	if err != nil {
		return PublicOpinion{}, err
	}
	var o PublicOpinion
	if it.OnDesk() && it.DeskTitle != "" {
		o = PublicOpinion{Number: it.Number, Title: it.DeskTitle}
	} else if it.Title != "" {
		r.private[number] = it.Title
	}
	r.opinions[number] = o
	return o, nil
}

// privateTitle reports whether text holds one of titles, the citizens'
// own titles of items not on the online desk, as a matter started from an
// item or written after it holds it: the public sees an opinion only by its
// reviewed desk title. A title is looked for by its first
// privatePrefixRunes characters, which a title cut to fit (MaxTitleRunes
// after words of the bureau's own) still holds; titles of fewer than
// minPrivateRunes are passed over, as words any text may hold.
func privateTitle(text string, titles []string) bool {
	for _, t := range titles {
		rs := []rune(strings.TrimSpace(t))
		if len(rs) < minPrivateRunes {
			continue
		}
		if strings.Contains(text, string(rs[:min(len(rs), privatePrefixRunes)])) {
			return true
		}
	}
	return false
}

// The lengths privateTitle looks for an item's title by.
const (
	minPrivateRunes    = 4
	privatePrefixRunes = 20
)

// public is m as anybody may read it.
func (r *publicRefs) public(ctx context.Context, m Matter) (PublicMatter, error) {
	b, consent := m.Beneficiary, m.BeneficiaryConsent
	answers := make([]PublicOpinion, 0, len(m.Items))
	var private []string
	for _, number := range m.Items {
		o, err := r.opinion(ctx, number)
		if err != nil {
			return PublicMatter{}, err
		}
		answers = append(answers, o)
		if t, ok := r.private[number]; ok {
			private = append(private, t)
		}
	}
	text := func(s string) PublicText {
		if privateTitle(s, private) {
			return PublicText{Withheld: true}
		}
		return publicText(s, b, consent)
	}
	p := PublicMatter{ID: m.ID, Title: text(m.Title), Description: text(m.Description), Class: m.Class, Unit: m.Unit,
		Branch: r.branches[m.Branch], Township: TownshipOf(b.Place, r.unitTown[m.Unit], r.townships),
		Beneficiary: PublicBeneficiary{Kind: b.Kind}, Status: m.Status, Share: Share(m.Status), OpenedOn: m.OpenedOn,
		DueOn: archive.ChinaDay(m.DueAt).Format(dayLayout), DoneOn: m.DoneOn, DropReason: text(m.DropReason),
		Progress: make([]PublicProgress, 0, len(m.Progress)), Story: text(m.Story), Answers: answers}
	p.Beneficiary.Township = p.Township
	if consent {
		p.Beneficiary.Name, p.Beneficiary.Place = b.Name, b.Place
	}
	if len(m.Outcomes) > 0 {
		p.Outcomes = map[string]int64{}
		for k, v := range m.Outcomes {
			p.Outcomes[k] = v
		}
	}
	for _, e := range m.Progress {
		p.Progress = append(p.Progress, PublicProgress{Day: e.Day, Text: text(e.Text), Photos: publicPhotos(m, e.Photos)})
	}
	p.StoryPhotos = publicPhotos(m, m.StoryPhotos)
	var err error
	if p.LeadName, err = r.lead(ctx, m.Lead); err != nil {
		return PublicMatter{}, err
	}
	return p, nil
}

// Published lists the published matters f selects, newest first, as
// anybody may read them, with the count of all of them. It needs no user:
// the page is public.
func (s *Service) Published(ctx context.Context, f PublicFilter) (register.Page[PublicMatter], error) {
	sf := Filter{Filter: register.Filter{Limit: f.Limit, Cursor: f.Cursor}, Published: true, Class: f.Class,
		Unit: strings.TrimSpace(f.Unit), Township: strings.TrimSpace(f.Township)}
	if err := sf.Check(); err != nil {
		return register.Page[PublicMatter]{}, err
	}
	r, err := s.publicRefs(ctx)
	if err != nil {
		return register.Page[PublicMatter]{}, err
	}
	sf.Townships = r.townships
	page, err := s.Store.Matters(ctx, sf)
	if err != nil {
		return register.Page[PublicMatter]{}, err
	}
	out := register.Page[PublicMatter]{Items: make([]PublicMatter, 0, len(page.Items)), NextCursor: page.NextCursor, Total: page.Total,
		TotalCapped: page.TotalCapped}
	for _, m := range page.Items {
		p, err := r.public(ctx, m)
		if err != nil {
			return register.Page[PublicMatter]{}, err
		}
		out.Items = append(out.Items, p)
	}
	return out, nil
}

// PublishedMatter returns one published matter as anybody may read it; a
// matter not published is not found, as if it did not exist.
func (s *Service) PublishedMatter(ctx context.Context, id int64) (PublicMatter, error) {
	m, err := s.Store.Matter(ctx, id)
	if err == nil && !m.Published {
		err = errNotPublished
	}
	if err != nil {
		if minyi.ErrorCode(err) == minyi.ENotFound {
			return PublicMatter{}, errNotPublished
		}
		return PublicMatter{}, err
	}
	r, err := s.publicRefs(ctx)
	if err != nil {
		return PublicMatter{}, err
	}
	return r.public(ctx, m)
}

// PublicTownships lists the townships the public page filters by: those
// the units cover.
func (s *Service) PublicTownships(ctx context.Context) ([]string, error) {
	units, err := s.Store.Units(ctx)
	if err != nil {
		return nil, err
	}
	return Townships(units), nil
}

var errNotPublished = minyi.Errorf(minyi.ENotFound, "没有这件公开的实事 / no such published matter")
