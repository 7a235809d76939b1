package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"minyi/calendar"
	"minyi/docx"
	"minyi/internal/officetest"
	"minyi/internal/testdb"
	"minyi/store"
)

// encoded is a small picture in the format enc writes.
func encoded(t *testing.T, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, 15, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAPIReportDOCX downloads the summary report as a Word document: it
// opens with a real parser and in LibreOffice, states the records' figures
// with links to their lists on the server's address, draws the charts and
// shows the story's photos (a GIF redrawn as PNG; one no decoder can read
// left out).
func TestAPIReportDOCX(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		year := time.Now().In(calendar.Zone).Format("2006")
		photos := []any{
			upload(encoded(t, func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) })),
			upload(encoded(t, func(b *bytes.Buffer, i image.Image) error { return gif.Encode(b, i, nil) })),
			upload(jpegHead),
		}
		for i, unit := range []string{"a", "a", "b"} {
			st, b := e.do("POST", "/api/v1/matters", "officer-"+unit, matterBody("帮助群众秋收", unit))
			if st != 201 {
				t.Fatalf("create matter: %d %v", st, b)
			}
			path := fmt.Sprintf("/api/v1/matters/%v/actions", b["id"])
			if st, b := e.do("POST", path, "officer-"+unit, map[string]any{"version": 1, "action": "start"}); st != 200 {
				t.Fatalf("start: %d %v", st, b)
			}
			done := map[string]any{"version": 2, "action": "complete", "story": fmt.Sprintf("民警帮助牧民收完了玉米（第%d户）。", i+1)}
			if i == 2 {
				done["photos"] = photos
			}
			if st, b := e.do("POST", path, "officer-"+unit, done); st != 200 {
				t.Fatalf("complete: %d %v", st, b)
			}
		}

		a := e.send("GET", "/api/v1/reports/summary?format=docx", "leader", "", "")
		if a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
		if ct, cd := a.header.Get("Content-Type"), a.header.Get("Content-Disposition"); ct != docx.ContentType ||
			cd != `attachment; filename="report-`+year+`-01-01-`+time.Now().In(calendar.Zone).Format(time.DateOnly)+`.docx"` {
			t.Errorf("Content-Type %q, Content-Disposition %q", ct, cd)
		}
		file := []byte(a.body)
		text, parts := officetest.XMLText(t, file)

		t.Run("text and links", func(t *testing.T) {
			for _, want := range []string{"工作综述", "共计办理实事3件", "民警帮助牧民收完了玉米（第3户）", "乙派出所：帮助群众秋收", "数据来源", "matters.done"} {
				if !strings.Contains(text, want) {
					t.Errorf("the document lacks %q:\n%s", want, text)
				}
			}
			if rels := string(parts["word/_rels/document.xml.rels"]); !strings.Contains(rels, `Target="`+e.url+`/staff/matters?from=`+year+`-01-01&amp;status=done&amp;to=`) {
				t.Errorf("no link to the matters done on the server:\n%s", rels)
			}
		})

		t.Run("charts and photos", func(t *testing.T) {
			var pngs, jpegs int
			for name := range parts {
				switch {
				case strings.HasPrefix(name, "word/media/") && strings.HasSuffix(name, ".png"):
					pngs++
				case strings.HasPrefix(name, "word/media/") && strings.HasSuffix(name, ".jpeg"):
					jpegs++
				}
			}
			// The months' chart (its series named in Chinese, so a table
			// of codes follows) and the GIF as PNG; the JPEG as it came.
			if pngs < 2 || jpegs != 1 {
				t.Errorf("%d PNG and %d JPEG images, want the charts and the GIF as PNG, and one JPEG", pngs, jpegs)
			}
			if !strings.Contains(text, "图中代号") {
				t.Errorf("no table of the charts' codes:\n%s", text)
			}
		})

		t.Run("LibreOffice reads it", func(t *testing.T) {
			got := officetest.Text(t, file)
			for _, want := range []string{"共计办理实事3件", "民警帮助牧民收完了玉米（第3户）", "乙派出所：帮助群众秋收"} {
				if !strings.Contains(got, want) {
					t.Errorf("LibreOffice's text lacks %q:\n%s", want, got)
				}
			}
		})

		t.Run("another unit is refused", func(t *testing.T) {
			if st, b := e.do("GET", "/api/v1/reports/summary?format=docx&unit=b", "officer-a", nil); st != 403 || fieldsOf(b)["unit"] == nil {
				t.Errorf("%d %v", st, b)
			}
		})
	})
}
