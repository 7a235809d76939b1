package pages

import "net/http"

// privacyPage is the privacy notice (个人信息保护说明) the footer and every
// form asking for personal data link to: what is collected, why, how long
// it is kept and who sees it, as the code does it (PIPL art. 17). Its
// texts are the catalogue's privacy.* messages; they must change with the
// behaviour they describe (archive/intake.go, mask.go, desk.go).
func (s *Pages) privacyPage(w http.ResponseWriter, r *http.Request) error {
	v := s.NewView(w, r, "", privacySections)
	v.Title = v.T("privacy.title")
	s.Render(w, r, http.StatusOK, "privacy", v)
	return nil
}

// privacySections are the notice's sections, each a heading and its
// paragraphs (privacy.<section> and privacy.<section>.<n>).
var privacySections = []struct {
	Key   string
	Paras []string
}{
	{"collect", []string{"1", "2", "3"}},
	{"why", []string{"1", "2"}},
	{"who", []string{"1", "2", "3"}},
	{"public", []string{"1"}},
	{"keep", []string{"1"}},
	{"rights", []string{"1"}},
}
