package web_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/org"
	"minyi/store"
)

// upload is a request's photo: its bytes in base64.
func upload(b []byte) map[string]any {
	return map[string]any{"data": base64.StdEncoding.EncodeToString(b)}
}

// jpegHead is enough of a JPEG for the type to be sniffed from the bytes.
var jpegHead = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 32)...)

// photoIDs are the ids of an answer's list of photos.
func photoIDs(list any) []int64 {
	var out []int64
	ps, _ := list.([]any)
	for _, p := range ps {
		out = append(out, int64(p.(map[string]any)["id"].(float64)))
	}
	return out
}

func TestAPIMatterPhotos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addTokenUser(org.User{Name: "partner", Role: org.RolePartner, UnitCode: "a"})
		id := newMatter(t, e, "officer-a")
		path := fmt.Sprintf("/api/v1/matters/%d", id)
		act := func(body map[string]any) (int, map[string]any) {
			return e.do("POST", path+"/actions", "officer-a", body)
		}
		if st, b := act(map[string]any{"version": 1, "action": "start", "photos": []any{upload(onePixelPNG)}}); st != 400 || fieldsOf(b)["photos"] == nil {
			t.Errorf("start with a photo: %d %v", st, b)
		}
		if st, b := act(map[string]any{"version": 1, "action": "start"}); st != 200 {
			t.Fatalf("start: %d %v", st, b)
		}

		// Refusals name the photo and write nothing: not the entry, not a photo.
		for _, tc := range []struct {
			name   string
			photos []any
			field  string
		}{
			{"not a picture", []any{upload(onePixelPNG), upload([]byte("<svg onload=alert(1)>"))}, "photos[1]"},
			{"empty", []any{map[string]any{"data": ""}}, "photos[0]"},
			{"five", []any{upload(onePixelPNG), upload(onePixelPNG), upload(onePixelPNG), upload(onePixelPNG), upload(onePixelPNG)}, "photos"},
			{"not base64", []any{map[string]any{"data": "不是"}}, "photos[0].data"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, b := act(map[string]any{"version": 2, "action": "progress", "text": "走访", "photos": tc.photos})
				if st != 400 || fieldsOf(b)[tc.field] == nil || !strings.Contains(fmt.Sprint(b["message"]), "invalid input") {
					t.Errorf("%d %v, want 400 naming %s", st, b, tc.field)
				}
			})
		}
		if st, b := e.do("GET", path, "officer-a", nil); st != 200 || b["version"].(float64) != 2 || len(b["progress"].([]any)) != 0 {
			t.Fatalf("refused photos wrote: %d %v", st, b)
		}

		st, b := act(map[string]any{"version": 2, "action": "progress", "text": "走访牧户", "photos": []any{upload(onePixelPNG), upload(jpegHead)}})
		if st != 200 {
			t.Fatalf("progress with photos: %d %v", st, b)
		}
		entry := b["progress"].([]any)[0].(map[string]any)
		ids := photoIDs(entry["photos"])
		if len(ids) != 2 || b["story_photos"] == nil || len(b["story_photos"].([]any)) != 0 {
			t.Fatalf("progress photos: %v", b)
		}
		first := entry["photos"].([]any)[0].(map[string]any)
		if first["content_type"] != "image/png" || len(first["sha256"].(string)) != 64 || first["size"].(float64) != float64(len(onePixelPNG)) {
			t.Errorf("photo info %v", first)
		}
		// Double submission of the same version: stale, no second photo.
		if st, _ := act(map[string]any{"version": 2, "action": "progress", "text": "走访牧户", "photos": []any{upload(onePixelPNG)}}); st != 409 {
			t.Errorf("the same progress again: %d", st)
		}

		// Staff who may see the matter read its photos; others do not.
		photo := fmt.Sprintf("%s/photos/%d", path, ids[1])
		a := e.send("GET", photo, "officer-a", "", "")
		if a.status != 200 || a.body != string(jpegHead) || a.header.Get("Content-Type") != "image/jpeg" || a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("photo: %d %v", a.status, a.header)
		}
		for who, want := range map[string]int{"partner": 200, "leader": 200, "officer-b": 403, "": 401} {
			if st, _ := e.raw("GET", photo, who); st != want {
				t.Errorf("%q reads the photo: %d, want %d", who, st, want)
			}
		}
		for _, bad := range []string{path + "/photos/999999", path + "/photos/x", fmt.Sprintf("/api/v1/matters/%d/photos/%d", id+100, ids[0])} {
			if st, _ := e.raw("GET", bad, "officer-a"); st != 404 && st != 400 {
				t.Errorf("GET %s: %d", bad, st)
			}
		}

		// The story's photos come with complete.
		st, b = act(map[string]any{"version": 3, "action": "complete", "story": "三天收完玉米", "photos": []any{upload(onePixelPNG)}})
		if st != 200 || len(photoIDs(b["story_photos"])) != 1 || len(photoIDs(b["progress"].([]any)[0].(map[string]any)["photos"])) != 2 {
			t.Fatalf("complete with a photo: %d %v", st, b)
		}
		story := photoIDs(b["story_photos"])[0]

		// Publicly: only a published matter whose beneficiary consented
		// (a household here) shows its photos; else 404, as a matter that
		// does not exist.
		public := fmt.Sprintf("/matters/%d/photos/%d", id, story)
		steps := []struct {
			patch map[string]any
			want  int
		}{
			{nil, 404},
			{map[string]any{"version": 4, "published": true}, 404},
			{map[string]any{"version": 5, "beneficiary_consent": true}, 200},
			{map[string]any{"version": 6, "published": false}, 404},
		}
		for _, s := range steps {
			if s.patch != nil {
				if st, b := e.do("PATCH", path, "officer-a", s.patch); st != 200 {
					t.Fatalf("patch %v: %d %v", s.patch, st, b)
				}
			}
			if st, body := e.raw("GET", public, ""); st != s.want || (st == 200 && body != string(onePixelPNG)) {
				t.Errorf("after %v the public photo: %d, want %d", s.patch, st, s.want)
			}
		}
		if st, _ := e.raw("GET", fmt.Sprintf("/matters/%d/photos/%d", id+100, story), ""); st != 404 {
			t.Errorf("a matter that does not exist: %d", st)
		}
		if n, err := db.Verify(ctx); err != nil || n == 0 {
			t.Errorf("verify: %d %v", n, err)
		}
	})
}

func TestAPIVolunteerPhotos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		body := map[string]any{"date": "2021-09-13", "title": "义务巡逻", "unit": "a", "volunteers": 3, "hours": 2,
			"photos": []any{upload(onePixelPNG), upload(jpegHead)}}
		st, b := e.do("POST", "/api/v1/volunteer-activities", "officer-a", body)
		if st != 201 || len(photoIDs(b["photos"])) != 2 {
			t.Fatalf("create with photos: %d %v", st, b)
		}
		path := fmt.Sprintf("/api/v1/volunteer-activities/%v", b["id"])
		first := photoIDs(b["photos"])[0]
		if st, b := e.do("POST", "/api/v1/volunteer-activities", "officer-a", map[string]any{"date": "2021-09-13", "title": "坏照片", "unit": "a",
			"photos": []any{upload([]byte("GIF87"))}}); st != 400 || fieldsOf(b)["photos[0]"] == nil {
			t.Errorf("create with a bad photo: %d %v", st, b)
		}
		four := []any{upload(onePixelPNG), upload(onePixelPNG), upload(onePixelPNG), upload(onePixelPNG)}
		st, b = e.do("PATCH", path, "officer-a", map[string]any{"version": 1, "add_photos": four})
		if st != 200 || len(photoIDs(b["photos"])) != 6 || b["version"].(float64) != 2 {
			t.Fatalf("add four: %d %v", st, b)
		}
		for _, tc := range []struct {
			name  string
			patch map[string]any
			field string
			want  int
		}{
			{"over eight", map[string]any{"version": 2, "add_photos": four[:3]}, "add_photos", 400},
			{"a photo it does not have", map[string]any{"version": 2, "remove_photos": []any{first + 1000}}, "remove_photos", 400},
			{"not a picture", map[string]any{"version": 2, "add_photos": []any{upload([]byte("hello"))}}, "add_photos[0]", 400},
			{"stale", map[string]any{"version": 1, "remove_photos": []any{first}}, "", 409},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, b := e.do("PATCH", path, "officer-a", tc.patch)
				if st != tc.want || (tc.field != "" && fieldsOf(b)[tc.field] == nil) {
					t.Errorf("%d %v, want %d naming %q", st, b, tc.want, tc.field)
				}
			})
		}
		if st, b := e.do("GET", path, "officer-a", nil); st != 200 || len(photoIDs(b["photos"])) != 6 || b["version"].(float64) != 2 {
			t.Fatalf("refused changes wrote: %d %v", st, b)
		}
		// Remove one and add two in one change: eight.
		st, b = e.do("PATCH", path, "officer-a", map[string]any{"version": 2, "remove_photos": []any{first}, "add_photos": four[:3]})
		if ids := photoIDs(b["photos"]); st != 200 || len(ids) != 8 || ids[0] == first {
			t.Fatalf("remove and add: %d %v", st, b)
		}
		if st, _ := e.raw("GET", fmt.Sprintf("%s/photos/%d", path, first), "officer-a"); st != 404 {
			t.Errorf("a removed photo: %d", st)
		}
		second := photoIDs(b["photos"])[0]
		for who, want := range map[string]int{"officer-a": 200, "leader": 200, "officer-b": 403} {
			if st, _ := e.raw("GET", fmt.Sprintf("%s/photos/%d", path, second), who); st != want {
				t.Errorf("%s reads a photo: %d, want %d", who, st, want)
			}
		}
		if st, b := e.do("GET", "/api/v1/volunteer-activities?limit=5", "officer-a", nil); st != 200 || len(photoIDs(b["items"].([]any)[0].(map[string]any)["photos"])) != 8 {
			t.Errorf("the list's photos: %d %v", st, b)
		}
		if n, err := db.Verify(ctx); err != nil || n == 0 {
			t.Errorf("verify: %d %v", n, err)
		}
	})
}
