package matter

import (
	"context"
	"strings"
	"testing"
)

// TestPublicMatterWithholdsItemTitles checks that a published matter's
// texts holding the citizen's own title of an opinion not on the online
// desk (as a matter started from the item takes it) are withheld, since
// the public sees an opinion only by its reviewed desk title, while a desk
// title and short common words pass.
func TestPublicMatterWithholdsItemTitles(t *testing.T) {
	long := strings.Repeat("牧", 95) + "民家的牛羊被盗了请帮忙" // over MaxTitleRunes
	tests := []struct {
		name, private, title string
		wantWithheld         bool
	}{
		{"the item's title as the matter's", "阿尔巴斯巴特尔家牛羊被盗", "阿尔巴斯巴特尔家牛羊被盗", true},
		{"the item's title within it", "巴特尔家牛羊被盗", "办实事：巴特尔家牛羊被盗（已追回）", true},
		{"a long title cut as the form cuts it", long, string([]rune(long)[:MaxTitleRunes]), true},
		{"a long title cut after words of the bureau's", long, string([]rune("办理群众意见：" + long)[:MaxTitleRunes]), true},
		{"the desk's reviewed title", "阿尔巴斯巴特尔家牛羊被盗", "牛羊被盗求助", false},
		{"a title too short to tell", "求助", "帮助牧户追回被盗牛羊求助", false},
		{"no private title", "", "帮助牧户追回被盗牛羊", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := refs()
			r.private = map[string]string{}
			if tt.private != "" {
				r.private["2021-000002"] = tt.private
			}
			m := storyMatter()
			m.BeneficiaryConsent = true // the story names the household: shown with consent
			m.Title, m.Description = tt.title, "群众来信："+tt.title
			p, err := r.public(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title.Withheld != tt.wantWithheld || (p.Title.Text == "") != tt.wantWithheld {
				t.Errorf("title %+v, want withheld %v", p.Title, tt.wantWithheld)
			}
			if p.Description.Withheld != tt.wantWithheld {
				t.Errorf("description %+v, want withheld %v", p.Description, tt.wantWithheld)
			}
			if p.Story.Withheld || p.Story.Text == "" {
				t.Errorf("story %+v withheld", p.Story)
			}
			if len(p.Answers) != 2 || p.Answers[0].Title != "牛羊被盗求助" || p.Answers[1] != (PublicOpinion{}) {
				t.Errorf("answers %+v", p.Answers)
			}
		})
	}
}
