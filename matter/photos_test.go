package matter

import (
	"context"
	"errors"
	"slices"
	"testing"

	"minyi"
	"minyi/archive"
)

// TestPublicPhotos: a published matter shows its photos to the public
// only when its beneficiary is a village or group or consented.
func TestPublicPhotos(t *testing.T) {
	for _, tc := range []struct {
		name      string
		kind      BeneficiaryKind
		published bool
		consent   bool
		want      bool
	}{
		{"household without consent", BeneficiaryHousehold, true, false, false},
		{"household that consented", BeneficiaryHousehold, true, true, true},
		{"person without consent", BeneficiaryPerson, true, false, false},
		{"village", BeneficiaryVillage, true, false, true},
		{"group", BeneficiaryGroup, true, false, true},
		{"unpublished village", BeneficiaryVillage, false, false, false},
		{"unpublished, consented", BeneficiaryPerson, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := storyMatter()
			m.Beneficiary.Kind, m.Published, m.BeneficiaryConsent = tc.kind, tc.published, tc.consent
			if !tc.kind.Personal() {
				m.Beneficiary.Phone, m.Beneficiary.IDNumber = "", ""
			}
			m.Progress[1].Photos = []archive.PhotoInfo{{ID: 11}, {ID: 12}}
			m.StoryPhotos = []archive.PhotoInfo{{ID: 13}}
			if got := m.PhotosPublic(); got != tc.want {
				t.Fatalf("PhotosPublic %v, want %v", got, tc.want)
			}
			p, err := refs().public(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			shown := append(append(p.Progress[0].Photos, p.Progress[1].Photos...), p.StoryPhotos...)
			if want := []int64{11, 12, 13}; tc.want != slices.Equal(shown, want) || (!tc.want && len(shown) > 0) {
				t.Errorf("public photos %v", shown)
			}
		})
	}
}

// TestDecidePhotos: photos go with a progress entry or the outcome
// story, are checked as items' are, and the event records their sums.
func TestDecidePhotos(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	photos := func(bs ...[]byte) []archive.Photo {
		out := make([]archive.Photo, len(bs))
		for i, b := range bs {
			out[i].Data = b
		}
		return out
	}
	inProgress := Matter{ID: 1, Unit: "a", Status: StatusInProgress, OpenedOn: "2021-09-01"}
	for _, tc := range []struct {
		name   string
		m      Matter
		cmd    Command
		fields []string // the problems named; none: decided
	}{
		{"progress with two", inProgress, Command{Action: ActProgress, Text: "走访", Photos: photos(png, png)}, nil},
		{"complete with one", inProgress, Command{Action: ActComplete, Story: "办结", Photos: photos(png)}, nil},
		{"five are too many", inProgress, Command{Action: ActProgress, Text: "走访", Photos: photos(png, png, png, png, png)}, []string{"photos"}},
		{"not a picture", inProgress, Command{Action: ActProgress, Text: "走访", Photos: photos(png, []byte("<html>"))}, []string{"photos[1]"}},
		{"with the text's own problem", inProgress, Command{Action: ActProgress, Photos: photos([]byte{})}, []string{"photos[0]", "text"}},
		{"drop takes none", inProgress, Command{Action: ActDrop, Reason: "重复", Photos: photos(png)}, []string{"photos"}},
		{"start takes none", Matter{ID: 1, Unit: "a", Status: StatusPlanned}, Command{Action: ActStart, Photos: photos(png)}, []string{"photos"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, err := Decide(tc.m, tc.cmd, officer, t0, DefaultOutcomeKeys)
			var e *minyi.Error
			if tc.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				if want := archive.PhotoSums(archive.DescribePhotos(tc.cmd.Photos)); evs[0].Data["photos"] != want {
					t.Errorf("event's photos %q, want %q", evs[0].Data["photos"], want)
				}
				return
			}
			if !errors.As(err, &e) || e.Code != minyi.EInvalid {
				t.Fatalf("want invalid, got %v", err)
			}
			var named []string
			for _, f := range e.Fields {
				named = append(named, f.Field)
			}
			if !slices.Equal(named, tc.fields) {
				t.Errorf("named %v, want %v", named, tc.fields)
			}
		})
	}
}
