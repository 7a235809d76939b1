package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// pngFile writes a small PNG picture to a file of the test and returns
// its path, for a file input.
func pngFile(t *testing.T, name string) string {
	t.Helper()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, png, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var photoActivityPage = regexp.MustCompile(`/staff/volunteer/(\d+)$`)

// TestOfficerRecordsAnActivityWithPhotos: an officer records a volunteer
// activity with two photos, sees them on its page (loaded: the page's
// security policy lets them in), then removes one by editing it. The form
// and the page pass axe-core.
func TestOfficerRecordsAnActivityWithPhotos(t *testing.T) {
	base := server(t)
	officer := newDesk(t)
	login(t, officer, base, "wulan-officer")
	officer.Go(base + "/staff/volunteer/new")
	t.Run("axe/form", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Fill("#title", "进村宣传防诈骗")
	officer.Fill("#volunteers", "4")
	officer.Fill("#hours", "2")
	officer.Upload("#photos", pngFile(t, "a.png"), pngFile(t, "b.png"))
	officer.SubmitForm("#title")
	if photoActivityPage.FindStringSubmatch(officer.URL()) == nil {
		t.Fatalf("not on the activity's page: %s\n%s", officer.URL(), officer.Text("main"))
	}
	path := strings.TrimPrefix(officer.URL(), base)
	var loaded int
	for try := 0; try < 50 && loaded != 2; try++ { // the pictures load after the page
		time.Sleep(100 * time.Millisecond)
		officer.Eval(`[...document.querySelectorAll("img.thumb")].filter(i => i.complete && i.naturalWidth > 0).length`, &loaded)
	}
	if loaded != 2 {
		t.Fatalf("%d photos shown, want 2: %s", loaded, officer.HTML())
	}
	t.Run("axe/page", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })

	officer.Go(base + path + "/edit")
	t.Run("axe/edit", func(t *testing.T) { officer.AssertNoSeriousAxe(t) })
	officer.Click(`input[name="remove_photos"]`)
	officer.SubmitForm("#title")
	if !strings.HasSuffix(officer.URL(), path) {
		t.Fatalf("after the change: %s\n%s", officer.URL(), officer.Text("main"))
	}
	officer.Eval(`document.querySelectorAll("img.thumb").length`, &loaded)
	if loaded != 1 {
		t.Errorf("%d photos after removing one, want 1", loaded)
	}
}
