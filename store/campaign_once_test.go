package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"minyi/archive"
	"minyi/campaign"
	"minyi/internal/testdb"
	"minyi/store"
)

// TestCampaignMeetingsAndDocumentsOnceAndWithinLimits: a meeting or a
// document sent from the same form several times at once is recorded once,
// each sending answered with the campaign (or the document) the first
// recorded; and additions at once to a campaign one short of its limit
// store exactly one, the others refused naming the field, since the store
// counts in the write's transaction. On SQLite and PostgreSQL.
func TestCampaignMeetingsAndDocumentsOnceAndWithinLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		f := newCaFixture(t, db)
		c, err := f.campaigns.Create(bg, maLeader, caNew())
		if err != nil {
			t.Fatal(err)
		}
		meeting := func(form archive.Form) campaign.Meeting {
			return campaign.Meeting{Day: "2021-03-02", Kind: campaign.KindProgress, Attendees: "各所队长", Form: form}
		}
		pdf := func(i int) []byte { return []byte(fmt.Sprintf("%%PDF-1.4\n%d 0 obj\n", i)) }
		const atOnce = 5
		// all runs add atOnce times at once and returns the errors.
		all := func(add func(i int) error) []error {
			errs := make([]error, atOnce)
			var wg sync.WaitGroup
			for i := range atOnce {
				wg.Go(func() { errs[i] = add(i) })
			}
			wg.Wait()
			return errs
		}
		count := func() (meetings, documents int) {
			t.Helper()
			got, err := f.campaigns.Get(bg, maLeader, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(got.Meetings), len(got.Documents)
		}

		t.Run("one form sent at once", func(t *testing.T) {
			form := archive.Form{FormToken: strings.Repeat("m", 40)}
			for i, err := range all(func(int) error { _, err := f.campaigns.AddMeeting(bg, maLeader, c.ID, meeting(form)); return err }) {
				if err != nil {
					t.Errorf("sending %d: %v", i+1, err)
				}
			}
			docForm := archive.Form{FormToken: strings.Repeat("d", 40)}
			ids := map[int64]bool{}
			var mu sync.Mutex
			for i, err := range all(func(i int) error {
				d, err := f.campaigns.AddDocument(bg, maLeader, c.ID, docForm, "方案.pdf", pdf(0))
				mu.Lock()
				ids[d.ID] = true
				mu.Unlock()
				return err
			}) {
				if err != nil {
					t.Errorf("upload %d: %v", i+1, err)
				}
			}
			if m, d := count(); m != 1 || d != 1 || len(ids) != 1 {
				t.Errorf("%d meetings, %d documents (answered with %v), want one of each", m, d, ids)
			}
		})

		t.Run("limits at once", func(t *testing.T) {
			m, d := count()
			for ; m < campaign.MaxMeetings-1; m++ {
				if _, err := f.campaigns.AddMeeting(bg, maLeader, c.ID, meeting(archive.Form{})); err != nil {
					t.Fatal(err)
				}
			}
			for i := d; i < campaign.MaxDocuments-1; i++ {
				if _, err := f.campaigns.AddDocument(bg, maLeader, c.ID, archive.Form{}, "方案.pdf", pdf(i+1)); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range []struct {
				name, field string
				errs        []error
			}{
				{"meetings", "meetings", all(func(int) error {
					_, err := f.campaigns.AddMeeting(bg, maLeader, c.ID, meeting(archive.Form{}))
					return err
				})},
				{"documents", "document", all(func(i int) error {
					_, err := f.campaigns.AddDocument(bg, maLeader, c.ID, archive.Form{}, "方案.pdf", pdf(1000+i))
					return err
				})},
			} {
				stored := 0
				for _, err := range c.errs {
					switch {
					case err == nil:
						stored++
					case !hasFieldError(err, c.field):
						t.Errorf("%s: refused %v, want a problem of %s", c.name, err, c.field)
					}
				}
				if stored != 1 {
					t.Errorf("%s: %d of %d at once stored, want 1", c.name, stored, atOnce)
				}
			}
			if m, d := count(); m != campaign.MaxMeetings || d != campaign.MaxDocuments {
				t.Errorf("%d meetings and %d documents, want %d and %d", m, d, campaign.MaxMeetings, campaign.MaxDocuments)
			}
			if _, err := db.Verify(bg); err != nil {
				t.Errorf("verify: %v", err)
			}
		})
	})
}
