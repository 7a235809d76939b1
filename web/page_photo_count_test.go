package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestMatterPageFivePhotos checks that a matter's progress form sent with
// five photos, one more than archive.MaxPhotos, is refused beside its
// file input with nothing written, and that four are taken.
func TestMatterPageFivePhotos(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e, id, path, a := startedMatterPage(t, db)
		photos := func(n int) map[string][]byte {
			out := map[string][]byte{}
			for i := range n {
				out[fmt.Sprintf("p%d.png", i)] = onePixelPNG
			}
			return out
		}
		form := url.Values{"version": {"2"}, "action": {"progress"}, "text": {"组织民警帮收玉米"}}
		mustSee(t, "five", a.submitFiles(path, path+"/act", form, photos(5)), 400, `id="errors"`, "照片最多4张", "组织民警帮收玉米")
		if st, b := e.do("GET", "/api/v1/matters/"+fmt.Sprint(id), "officer-a", nil); st != 200 || len(b["progress"].([]any)) != 0 {
			t.Fatalf("five photos wrote: %d %v", st, b)
		}
		if p := a.submitFiles(path, path+"/act", form, photos(4)); p.status != 303 {
			t.Fatalf("four photos: %d %s", p.status, p.body)
		}
		_, b := e.do("GET", "/api/v1/matters/"+fmt.Sprint(id), "officer-a", nil)
		if entries := b["progress"].([]any); len(entries) != 1 || len(entries[0].(map[string]any)["photos"].([]any)) != 4 {
			t.Errorf("after four photos: %v", entries)
		}
	})
}
