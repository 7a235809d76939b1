package store_test

import (
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/org"
	"minyi/reporting"
	"minyi/store"
)

// pngBytes is enough of a PNG for the photos' check, which sniffs the type.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01")

// TestCitizenAddsAndWithdraws: the citizen holding the access code adds
// information (with a photo) to an open item and withdraws it, on both
// databases; a second withdrawal changes nothing, a closed item and a
// wrong code are refused, bad input names its field and changes nothing,
// and a withdrawn item is neither overdue nor counted in the rates.
func TestCitizenAddsAndWithdraws(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		svc, clock := fixture(t, db)
		file := func(text string) (archive.Item, string) {
			t.Helper()
			it, code, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelOnlineBox,
				Category: "hukou", Text: text, Contact: archive.Contact{Name: "王某", Phone: "13900001111"}})
			if err != nil {
				t.Fatal(err)
			}
			return it, code
		}
		asCitizen := func(number, code string, cmd archive.Command) (archive.CitizenItem, error) {
			t.Helper()
			it, err := db.Item(ctx, number)
			if err != nil {
				t.Fatal(err)
			}
			if cmd.Version == 0 {
				cmd.Version = it.Version
			}
			return svc.ActAsCitizen(ctx, number, code, cmd)
		}
		events := func(number string, typ archive.EventType) []archive.Event {
			t.Helper()
			it, _ := db.Item(ctx, number)
			evs, err := db.ItemEvents(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []archive.Event
			for _, e := range evs {
				if e.Type == typ {
					out = append(out, e)
				}
			}
			return out
		}
		it, code := file("门口路灯坏了")

		t.Run("add information with a photo", func(t *testing.T) {
			clock.Advance(time.Hour)
			got, err := asCitizen(it.Number, code, archive.Command{Action: archive.ActAddInfo, Body: "晚上八点以后全黑",
				Photos: []archive.Photo{{Data: pngBytes}}})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != archive.StatusReceived || len(got.Photos) != 1 || got.Photos[0].ContentType != "image/png" {
				t.Fatalf("after adding %+v", got)
			}
			evs := events(it.Number, archive.EventCitizenAdded)
			if len(evs) != 1 || evs[0].Body != "晚上八点以后全黑" || evs[0].Actor != archive.ActorCitizen || evs[0].Data["photos"] != got.Photos[0].SHA256 {
				t.Fatalf("events %+v", evs)
			}
			ph, err := svc.PhotoForCitizen(ctx, it.Number, code, got.Photos[0].ID)
			if err != nil || string(ph.Data) != string(pngBytes) {
				t.Fatalf("photo %v %v", ph.PhotoInfo, err)
			}
			view, err := svc.GetForCitizen(ctx, it.Number, code)
			if err != nil {
				t.Fatal(err)
			}
			if last := view.Events[len(view.Events)-1]; last.Type != archive.EventCitizenAdded || last.Body != "晚上八点以后全黑" {
				t.Fatalf("the citizen's timeline ends with %+v", last)
			}
			// The same form sent again, with the version it was read at, is
			// the addition already made: nothing more is added. Another
			// text at that version is a conflict.
			again := archive.Command{Action: archive.ActAddInfo, Version: view.Item.Version - 1, Body: "晚上八点以后全黑",
				Photos: []archive.Photo{{Data: pngBytes}}}
			if got, err := asCitizen(it.Number, code, again); err != nil || len(got.Photos) != 1 {
				t.Fatalf("the same addition again: %v, %d photos", err, len(got.Photos))
			}
			if evs := events(it.Number, archive.EventCitizenAdded); len(evs) != 1 {
				t.Fatalf("the same addition again added: %d additions", len(evs))
			}
			for _, other := range []archive.Command{
				{Action: archive.ActAddInfo, Version: again.Version, Body: "另一句"},
				{Action: archive.ActAddInfo, Version: again.Version, Body: again.Body}, // the same words without the photo
			} {
				if _, err := asCitizen(it.Number, code, other); minyi.ErrorCode(err) != minyi.EConflict {
					t.Fatalf("another addition at the old version (%q, %d photos): %v", other.Body, len(other.Photos), err)
				}
			}
		})

		t.Run("bad input names the field and changes nothing", func(t *testing.T) {
			before, _ := db.Item(ctx, it.Number)
			for _, tc := range []struct {
				name  string
				cmd   archive.Command
				field string
			}{
				{"no text", archive.Command{Action: archive.ActAddInfo, Body: "  "}, "body"},
				{"not a photo", archive.Command{Action: archive.ActAddInfo, Body: "补充", Photos: []archive.Photo{{Data: []byte("hello")}}}, "photos[0]"},
				{"too many photos", archive.Command{Action: archive.ActAddInfo, Body: "补充", Photos: make([]archive.Photo, archive.MaxPhotos+1)}, "photos"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := asCitizen(it.Number, code, tc.cmd)
					wantProblem(t, err, minyi.EInvalid, tc.field)
				})
			}
			after, _ := db.Item(ctx, it.Number)
			if after.Version != before.Version || len(after.Photos) != len(before.Photos) {
				t.Fatalf("a refused addition changed the item: %d → %d", before.Version, after.Version)
			}
		})

		t.Run("wrong code refused", func(t *testing.T) {
			for _, a := range []archive.Action{archive.ActAddInfo, archive.ActWithdraw} {
				_, err := asCitizen(it.Number, "WRONGCOD", archive.Command{Action: a, Body: "x"})
				if minyi.ErrorCode(err) != minyi.ENotFound {
					t.Fatalf("%s with a wrong code: %v", a, err)
				}
			}
		})

		t.Run("staff cannot add or withdraw for the citizen", func(t *testing.T) {
			cur, _ := db.Item(ctx, it.Number)
			if _, err := svc.Act(ctx, leader, it.Number, archive.Command{Action: archive.ActWithdraw, Version: cur.Version}, false); minyi.ErrorCode(err) != minyi.EForbidden {
				t.Fatalf("leader withdrawing: %v", err)
			}
		})

		t.Run("withdraw, twice", func(t *testing.T) {
			clock.Advance(time.Hour)
			before, _ := db.Item(ctx, it.Number)
			got, err := asCitizen(it.Number, code, archive.Command{Action: archive.ActWithdraw, Body: "已经修好了"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != archive.StatusWithdrawn || got.CanRate {
				t.Fatalf("withdrawn %+v", got)
			}
			// The second tap carries the version the first one saw.
			if _, err := asCitizen(it.Number, code, archive.Command{Action: archive.ActWithdraw, Version: before.Version}); err != nil {
				t.Fatalf("second withdrawal: %v", err)
			}
			if evs := events(it.Number, archive.EventWithdrawn); len(evs) != 1 || evs[0].Body != "已经修好了" || evs[0].From != archive.StatusReceived {
				t.Fatalf("withdrawn events %+v", evs)
			}
			if _, err := asCitizen(it.Number, code, archive.Command{Action: archive.ActAddInfo, Body: "还有"}); minyi.ErrorCode(err) != minyi.EIllegal {
				t.Fatalf("adding to a withdrawn item: %v", err)
			}
			view, _ := svc.GetForCitizen(ctx, it.Number, code)
			steps := view.Progress()
			if !steps[0].Done || steps[1].Done || steps[0].Current || steps[1].Current {
				t.Fatalf("stepper of a withdrawn item %+v", steps)
			}
		})

		t.Run("closed item refused", func(t *testing.T) {
			closed, ccode := file("户口迁移")
			head := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
			for _, cmd := range []archive.Command{{Action: archive.ActSign}, {Action: archive.ActAnswer, Body: "已办"},
				{Action: archive.ActVisit, Satisfaction: archive.Satisfied}, {Action: archive.ActClose}} {
				if cmd.Action == archive.ActSign {
					cur, _ := db.Item(ctx, closed.Number)
					if cur.Status == archive.StatusReceived {
						actNow(t, db, svc, leader, closed.Number, archive.Command{Action: archive.ActDispatch, Unit: "a"})
					}
				}
				actNow(t, db, svc, head, closed.Number, cmd)
			}
			for _, a := range []archive.Action{archive.ActAddInfo, archive.ActWithdraw} {
				if _, err := asCitizen(closed.Number, ccode, archive.Command{Action: a, Body: "x"}); minyi.ErrorCode(err) != minyi.EIllegal {
					t.Fatalf("%s on a closed item: %v", a, err)
				}
			}
		})

		t.Run("answered item is rated, not withdrawn", func(t *testing.T) {
			ans, acode := file("身份证补办")
			head := org.User{Name: "ha", Role: org.RoleUnitHead, UnitCode: "a"}
			actNow(t, db, svc, leader, ans.Number, archive.Command{Action: archive.ActDispatch, Unit: "a"})
			actNow(t, db, svc, head, ans.Number, archive.Command{Action: archive.ActSign})
			actNow(t, db, svc, head, ans.Number, archive.Command{Action: archive.ActAnswer, Body: "带户口本"})
			if _, err := asCitizen(ans.Number, acode, archive.Command{Action: archive.ActWithdraw}); minyi.ErrorCode(err) != minyi.EIllegal {
				t.Fatalf("withdrawing an answered item: %v", err)
			}
			if _, err := asCitizen(ans.Number, acode, archive.Command{Action: archive.ActAddInfo, Body: "谢谢"}); err != nil {
				t.Fatalf("adding to an answered item: %v", err)
			}
			// Sent back for redo by an unsatisfied rating it is open again,
			// but its answer and rating count in the rates: it is still not
			// withdrawn, and the page offers no withdrawal.
			if _, err := asCitizen(ans.Number, acode, archive.Command{Action: archive.ActRate, Satisfaction: archive.Unsatisfied, Body: "没说清楚要带什么"}); err != nil {
				t.Fatalf("rating: %v", err)
			}
			if redo, _ := db.Item(ctx, ans.Number); !redo.Status.Open() {
				t.Fatalf("after an unsatisfied rating the item is %s", redo.Status)
			}
			if _, err := asCitizen(ans.Number, acode, archive.Command{Action: archive.ActWithdraw}); minyi.ErrorCode(err) != minyi.EIllegal {
				t.Fatalf("withdrawing an item being redone: %v", err)
			}
			if view, err := svc.GetForCitizen(ctx, ans.Number, acode); err != nil || view.Item.CanWithdraw {
				t.Fatalf("the page of an item being redone offers withdrawal: %v", err)
			}
		})

		t.Run("a withdrawn item is neither overdue nor in the rates", func(t *testing.T) {
			clock.Advance(30 * 24 * time.Hour) // every open item is overdue now
			st, err := reports(db, svc).Stats(ctx, leader, reporting.Filter{From: "2021-01-01", To: "2021-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			// Three filed: one withdrawn, one closed, one being done again
			// (and overdue by now): the withdrawn one is neither valid nor
			// overdue.
			if st.Tally.Received != 3 || st.Tally.Valid != 2 || st.Overdue != 1 {
				t.Fatalf("received %d valid %d overdue %d, want 3, 2, 1", st.Tally.Received, st.Tally.Valid, st.Overdue)
			}
		})
	})
}
