package store_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/internal/testkit"
	"minyi/org"
	"minyi/store"
)

// onePDF is the smallest file a PDF reader opens, as far as its magic goes.
var onePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// An answer's attachments (答复附件, issue 15 §11): a photo and a PDF come
// with the answer, stored in its transaction with their sums in its
// event's data; the staff of the item's unit and the citizen with the code
// read them, nobody else; a file neither photo nor PDF, too many files or
// files on another action are refused naming the field, with nothing
// written.
func TestAnswerAttachments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		officer := org.User{Name: "li", Role: org.RoleOfficer, UnitCode: "a"}
		other := org.User{Name: "zhao", Role: org.RoleOfficer, UnitCode: "b"}
		testkit.Bureau{Units: testkit.UnderBureau, Users: []org.User{officer, other}}.Seed(t, db)
		clock := testkit.NewClock(t0)
		svc := archive.NewService(db, policy)
		svc.Now = clock.Now
		it, code, err := svc.Submit(ctx, nil, archive.Submission{Kind: archive.KindHelp, Channel: archive.ChannelQRCode, Unit: "a", Text: "楼道灯坏了"})
		if err != nil {
			t.Fatal(err)
		}
		if it, err = svc.Act(ctx, officer, it.Number, archive.Command{Action: archive.ActSign}, true); err != nil {
			t.Fatal(err)
		}
		answer := func(files ...archive.Attachment) (archive.Item, error) {
			return svc.Act(ctx, officer, it.Number, archive.Command{Action: archive.ActAnswer, Version: it.Version, Body: "已修好。", Attachments: files}, false)
		}
		refusals := []struct {
			name, field string
			files       []archive.Attachment
		}{
			{"not a photo nor a PDF", "attachments[1]", []archive.Attachment{{Data: onePixel}, {AttachmentInfo: archive.AttachmentInfo{Name: "a.pdf"}, Data: []byte("<html>not a pdf</html>")}}},
			{"empty", "attachments[0]", []archive.Attachment{{AttachmentInfo: archive.AttachmentInfo{Name: "x.pdf"}}}},
			{"too large a PDF", "attachments[0]", []archive.Attachment{{Data: append(append([]byte{}, onePDF...), make([]byte, archive.MaxPDFBytes)...)}}},
			{"too much together", "attachments", func() []archive.Attachment {
				big := append(append([]byte{}, onePDF...), make([]byte, archive.MaxPDFBytes-len(onePDF))...)
				return []archive.Attachment{{Data: big}, {Data: big}, {Data: big}}
			}()},
			{"too many", "attachments", []archive.Attachment{{Data: onePixel}, {Data: onePixel}, {Data: onePixel}, {Data: onePixel}, {Data: onePixel}}},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				_, err := answer(tt.files...)
				if minyi.ErrorCode(err) != minyi.EInvalid || fieldOf(err) != tt.field {
					t.Fatalf("got %v (field %q), want invalid %s", err, fieldOf(err), tt.field)
				}
			})
		}
		t.Run("only an answer carries files", func(t *testing.T) {
			_, err := svc.Act(ctx, officer, it.Number, archive.Command{Action: archive.ActNote, Version: it.Version, Body: "备注", Attachments: []archive.Attachment{{Data: onePixel}}}, false)
			if minyi.ErrorCode(err) != minyi.EInvalid || fieldOf(err) != "attachments" {
				t.Fatalf("a note with a file: %v", err)
			}
		})
		if got, _ := db.ItemAttachments(ctx, it.ID); len(got) != 0 {
			t.Fatalf("refused answers stored %d files", len(got))
		}

		answered, err := answer(archive.Attachment{AttachmentInfo: archive.AttachmentInfo{Name: `C:\现场\修好后.png`}, Data: onePixel},
			archive.Attachment{AttachmentInfo: archive.AttachmentInfo{Name: "处理决定书.pdf"}, Data: onePDF})
		if err != nil || answered.Status != archive.StatusAnswered {
			t.Fatalf("answer with files: %v %s", err, answered.Status)
		}
		files, err := svc.Attachments(ctx, officer, it.Number)
		if err != nil || len(files) != 2 {
			t.Fatalf("files %+v %v", files, err)
		}
		if files[0].Name != "修好后.png" || files[0].ContentType != "image/png" || files[1].Name != "处理决定书.pdf" || !files[1].IsPDF() || files[1].Size != len(onePDF) {
			t.Errorf("files %+v", files)
		}
		events, err := db.ItemEvents(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		ev := events[len(events)-1]
		if ev.Type != archive.EventAnswered || files[0].Seq != ev.Seq || ev.Data["attachments"] != files[0].SHA256+","+files[1].SHA256 {
			t.Errorf("the answer event %+v does not record files %+v", ev, files)
		}
		got, err := svc.AttachmentForCitizen(ctx, it.Number, code, files[1].ID)
		if err != nil || !bytes.Equal(got.Data, onePDF) {
			t.Errorf("the citizen's PDF: %v", err)
		}
		if list, err := svc.AttachmentsForCitizen(ctx, it.Number, code); err != nil || len(list) != 2 {
			t.Errorf("the citizen's list: %d %v", len(list), err)
		}
		if _, err := svc.AttachmentForCitizen(ctx, it.Number, strings.Repeat("0", len(code)), files[1].ID); err == nil {
			t.Error("a wrong code opens the file")
		}
		if _, err := svc.Attachment(ctx, other, it.Number, files[0].ID); err == nil {
			t.Error("another unit's officer opens the file")
		}
		if _, err := svc.Attachment(ctx, officer, it.Number, files[0].ID+100); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("no such file: %v", err)
		}
		if n, err := db.Verify(ctx); err != nil || n == 0 {
			t.Errorf("the chain does not verify: %d %v", n, err)
		}
	})
}

// fieldOf is the field the first problem of err names.
func fieldOf(err error) string {
	var e *minyi.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}
