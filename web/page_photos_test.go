package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// startedMatterPage records a matter of officer-a's unit and starts it
// (version 2), so that its page offers the progress and complete forms
// with their photos; it answers the matter's id and page, and officer-a
// logged in.
func startedMatterPage(t *testing.T, db *store.DB) (e *env, id int64, path string, a *staffer) {
	t.Helper()
	e = newMatterPagesEnv(t, db)
	id = newMatter(t, e, "officer-a")
	path = fmt.Sprintf("/staff/matters/%d", id)
	if st, b := e.do("POST", fmt.Sprintf("/api/v1/matters/%d/actions", id), "officer-a", map[string]any{"version": 1, "action": "start"}); st != 200 {
		t.Fatalf("start: %d %v", st, b)
	}
	return e, id, path, e.loggedIn(t, "officer-a")
}

// thumbs are the photos' paths a page shows as thumbnails.
var thumbs = regexp.MustCompile(`<img class="thumb" src="([^"]+/photos/\d+)"`)

func TestMatterPagePhotos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e, id, path, a := startedMatterPage(t, db)
		body := a.open(path)
		for _, want := range []string{`id="progress" enctype="multipart/form-data"`, `id="complete" enctype="multipart/form-data"`,
			`id="progress-photos" name="photos" type="file" accept="image/jpeg,image/png,image/gif,image/webp" multiple`, `<label for="progress-photos">`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}

		// A file that is no picture: the page again, naming it, nothing written.
		form := url.Values{"version": {"2"}, "action": {"progress"}, "text": {"组织民警帮收玉米"}}
		p := a.submitFiles(path, path+"/act", form, map[string][]byte{"notes.txt": []byte("hello, not a picture")})
		mustSee(t, "not a picture", p, 400, `id="errors"`, "只接受JPEG、PNG、GIF或WebP照片", "组织民警帮收玉米")
		if n := strings.Count(p.body, "只接受JPEG、PNG、GIF或WebP照片"); n != 2 {
			t.Errorf("the photo's problem shows %d times, want in the summary and beside the input", n)
		}
		if st, b := e.do("GET", "/api/v1/matters/"+fmt.Sprint(id), "officer-a", nil); st != 200 || len(b["progress"].([]any)) != 0 {
			t.Fatalf("a refused form wrote: %d %v", st, b)
		}

		form = url.Values{"version": {"2"}, "action": {"progress"}, "text": {"组织民警帮收玉米"}}
		p = a.submitFiles(path, path+"/act", form, map[string][]byte{"field.png": onePixelPNG})
		if p.status != http.StatusSeeOther || p.location != path {
			t.Fatalf("progress with a photo: %d %s %s", p.status, p.location, p.body)
		}
		body = a.open(path)
		shown := thumbs.FindAllStringSubmatch(body, -1)
		if len(shown) != 1 || !strings.HasPrefix(shown[0][1], path+"/photos/") {
			t.Fatalf("thumbnails %v in %s", shown, body)
		}
		photo := shown[0][1]
		if g := a.get(photo); g.status != 200 || g.body != string(onePixelPNG) {
			t.Errorf("the photo: %d", g.status)
		}
		if g := e.loggedIn(t, "officer-b").get(photo); g.status != http.StatusForbidden {
			t.Errorf("another unit's officer reads the photo: %d", g.status)
		}
		if g := a.get(path + "/photos/999999"); g.status != http.StatusNotFound {
			t.Errorf("no such photo: %d", g.status)
		}

		// The story's photo, with complete.
		form = url.Values{"version": {"3"}, "action": {"complete"}, "story": {"三天收完二十亩玉米"}}
		p = a.submitFiles(path, path+"/act", form, map[string][]byte{"done.png": onePixelPNG})
		if p.status != http.StatusSeeOther {
			t.Fatalf("complete with a photo: %d %s", p.status, p.body)
		}
		body = a.open(path)
		if n := len(thumbs.FindAllString(body, -1)); n != 2 || !strings.Contains(body, `id="story-photos"`) {
			t.Errorf("%d thumbnails after complete: %s", n, body)
		}
	})
}

func TestVolunteerPagePhotos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newLedgerEnv(t, db)
		a := e.loggedIn(t, "officer-a")
		form := url.Values{"title": {"义务巡逻"}, "date": {"2021-09-20"}, "volunteers": {"3"}, "hours": {"2"}, "participants": {"officer-a"}}
		p := a.submitFiles("/staff/volunteer/new", "/staff/volunteer", form, map[string][]byte{"a.png": onePixelPNG, "b.png": onePixelPNG})
		if p.status != http.StatusSeeOther {
			t.Fatalf("create with photos: %d %s", p.status, p.body)
		}
		path := p.location
		shown := thumbs.FindAllStringSubmatch(a.open(path), -1)
		if len(shown) != 2 {
			t.Fatalf("thumbnails %v", shown)
		}
		if g := a.get(shown[0][1]); g.status != 200 || g.body != string(onePixelPNG) {
			t.Errorf("the photo: %d", g.status)
		}

		// Five more would make seven: fine; then too many is named.
		edit := url.Values{"title": {"义务巡逻"}, "date": {"2021-09-20"}, "volunteers": {"3"}, "hours": {"2"}, "participants": {"officer-a"}, "version": {"1"}}
		five := map[string][]byte{"1.png": onePixelPNG, "2.png": onePixelPNG, "3.png": onePixelPNG, "4.png": onePixelPNG, "5.png": onePixelPNG}
		mustSee(t, "five at once", a.submitFiles(path+"/edit", path, edit, five), 400, `id="errors"`, "照片最多4张")

		// Remove the first, add one: two.
		first := strings.TrimPrefix(shown[0][1], path+"/photos/")
		editBody := a.open(path + "/edit")
		if !strings.Contains(editBody, `name="remove_photos" value="`+first+`"`) {
			t.Fatalf("the edit form offers no removal of photo %s", first)
		}
		edit.Set("remove_photos", first)
		p = a.submitFiles(path+"/edit", path, edit, map[string][]byte{"c.png": onePixelPNG})
		if p.status != http.StatusSeeOther {
			t.Fatalf("remove and add: %d %s", p.status, p.body)
		}
		after := thumbs.FindAllStringSubmatch(a.open(path), -1)
		if len(after) != 2 || after[0][1] == shown[0][1] {
			t.Errorf("after the change: %v (before %v)", after, shown)
		}
		if g := a.get(shown[0][1]); g.status != http.StatusNotFound {
			t.Errorf("a removed photo: %d", g.status)
		}
	})
}
