package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/matter"
	"minyi/store"
	"minyi/volunteer"
)

// onePixel is the smallest PNG there is.
var onePixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

// photoRows counts the stored photos of a register's record.
func photoRows(t *testing.T, db *store.DB, register string, id int64) int {
	t.Helper()
	var n int
	q := fmt.Sprintf("SELECT COUNT(*) FROM record_photos WHERE register = '%s' AND record_id = %d", register, id)
	if err := testdb.Raw(t, db).QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMatterPhotosStored: a progress entry's and the story's photos are
// written with the action, read back with the matter, summed in the
// action's event (the chain still verifies), and an action refused by the
// store (a stale version) writes none of its photos.
func TestMatterPhotosStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		m, err := svc.Create(bg, maOfficerA, maNew("追回被盗牲畜"))
		if err != nil {
			t.Fatal(err)
		}
		v := m.Version
		if m, err = svc.Act(bg, maOfficerA, m.ID, &v, matter.Command{Action: matter.ActStart}); err != nil {
			t.Fatal(err)
		}
		jpeg := append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 64)...)
		v = m.Version
		m, err = svc.Act(bg, maOfficerA, m.ID, &v, matter.Command{Action: matter.ActProgress, Text: "入户走访",
			Photos: []archive.Photo{{Data: onePixel}, {Data: jpeg}}})
		if err != nil {
			t.Fatal(err)
		}
		got := m.Progress[0].Photos
		if len(got) != 2 || got[0].ID == 0 || got[0].ContentType != "image/png" || got[1].ContentType != "image/jpeg" || got[1].Size != len(jpeg) {
			t.Fatalf("progress photos %+v", got)
		}
		read, err := db.Matter(bg, m.ID)
		if err != nil || len(read.Progress[0].Photos) != 2 || read.Progress[0].Photos[1] != got[1] || len(read.StoryPhotos) != 0 {
			t.Fatalf("read back %+v, %v", read.Progress, err)
		}
		p, err := db.RecordPhoto(bg, matter.Register, m.ID, got[0].ID)
		if err != nil || string(p.Data) != string(onePixel) || p.SHA256 != got[0].SHA256 {
			t.Fatalf("photo %+v, %v", p.PhotoInfo, err)
		}
		if _, err := db.RecordPhoto(bg, volunteer.Register, m.ID, got[0].ID); minyi.ErrorCode(err) != minyi.ENotFound {
			t.Errorf("a matter's photo as an activity's: %v", err)
		}
		var data string
		if err := testdb.Raw(t, db).QueryRow(fmt.Sprintf("SELECT data FROM events WHERE register = 'matters' AND record_id = %d AND type = 'progressed'", m.ID)).Scan(&data); err != nil ||
			!strings.Contains(data, got[0].SHA256+","+got[1].SHA256) {
			t.Errorf("the progressed event's data %s does not sum the photos (%v)", data, err)
		}

		// The store refuses a stale version: the photos go nowhere.
		stale := m
		stale.Progress = append(stale.Progress, matter.Progress{Day: "2021-09-13", Text: "过时", Actor: "officer-a", At: maNow})
		stale.NewPhotos = []archive.NewPhoto{{Photo: archive.DescribePhotos([]archive.Photo{{Data: onePixel}})[0], Entry: 2}}
		if err := db.UpdateMatter(bg, &stale, m.Version-1, nil); minyi.ErrorCode(err) != minyi.EConflict {
			t.Fatalf("stale update: %v", err)
		}
		if n := photoRows(t, db, matter.Register, m.ID); n != 2 {
			t.Errorf("a refused update left %d photos, want 2", n)
		}

		v = m.Version
		m, err = svc.Act(bg, maOfficerA, m.ID, &v, matter.Command{Action: matter.ActComplete, Story: "追回牛5头、羊53只",
			Outcomes: map[string]int64{"cattle": 5, "sheep": 53}, Photos: []archive.Photo{{Data: onePixel}}})
		if err != nil || len(m.StoryPhotos) != 1 || len(m.Progress[0].Photos) != 2 {
			t.Fatalf("complete with a photo: %+v, %v", m.StoryPhotos, err)
		}
		if n, err := db.Verify(bg); err != nil || n == 0 {
			t.Errorf("verify: %d, %v", n, err)
		}
	})
}

// TestActivityPhotosStored: an activity's photos are written with it,
// removed and added by a change, and a change refused as stale removes
// and adds nothing.
func TestActivityPhotosStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		maFixture(t, db)
		svc := &volunteer.Service{Store: db, Now: func() time.Time { return maNow }}
		a, err := svc.Create(bg, maOfficerA, volunteer.Activity{Date: "2021-09-12", Title: "义务巡逻", Unit: "a",
			NewPhotos: []archive.Photo{{Data: onePixel}, {Data: onePixel}}})
		if err != nil || len(a.Photos) != 2 || a.Photos[0].ID == 0 || a.NewPhotos != nil {
			t.Fatalf("create: %+v, %v", a, err)
		}
		stale := a
		stale.RemovedPhotos, stale.NewPhotos = a.Photos[:1], archive.DescribePhotos([]archive.Photo{{Data: onePixel}})
		if err := db.UpdateActivity(bg, &stale, a.Version+1, nil); minyi.ErrorCode(err) != minyi.EConflict {
			t.Fatalf("stale update: %v", err)
		}
		if n := photoRows(t, db, volunteer.Register, a.ID); n != 2 {
			t.Errorf("a refused change left %d photos, want 2", n)
		}
		a, err = svc.Update(bg, maOfficerA, a.ID, a.Version, volunteer.Patch{RemovePhotos: []int64{a.Photos[0].ID},
			AddPhotos: []archive.Photo{{Data: onePixel}}})
		if err != nil || len(a.Photos) != 2 {
			t.Fatalf("change: %+v, %v", a.Photos, err)
		}
		read, err := db.Activity(bg, a.ID)
		if err != nil || len(read.Photos) != 2 || read.Photos[0] != a.Photos[0] || read.Photos[1] != a.Photos[1] {
			t.Fatalf("read back %+v, %v (want %+v)", read.Photos, err, a.Photos)
		}
		if n, err := db.Verify(bg); err != nil || n == 0 {
			t.Errorf("verify: %d, %v", n, err)
		}
	})
}

// TestMatterPhotosConcurrent: of four writers adding a progress entry with
// a photo at the same version, one wins; only its photo is stored, under
// its entry, and the log verifies.
func TestMatterPhotosConcurrent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		bg := context.Background()
		svc := maFixture(t, db)
		m, err := svc.Create(bg, maOfficerA, maNew("并发照片"))
		if err != nil {
			t.Fatal(err)
		}
		ok := raceWrites(t, 4, func(i int) error {
			v := 1
			_, err := svc.Act(bg, maOfficerA, m.ID, &v, matter.Command{Action: matter.ActProgress,
				Text: fmt.Sprintf("进展%d", i), Photos: []archive.Photo{{Data: onePixel}}})
			return err
		})
		got, err := db.Matter(bg, m.ID)
		if err != nil || ok != 1 || len(got.Progress) != 1 || len(got.Progress[0].Photos) != 1 {
			t.Fatalf("%d succeeded; stored %+v, %v", ok, got.Progress, err)
		}
		if n := photoRows(t, db, matter.Register, m.ID); n != 1 {
			t.Errorf("%d photos stored, want the winner's one", n)
		}
		if _, err := db.Verify(bg); err != nil {
			t.Errorf("verify: %v", err)
		}
	})
}
