package web_test

import (
	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/store"
)

// onePDF is the start of a PDF, as far as its magic goes.
var onePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// answerWithFiles posts the item desk's answer form with files, as a
// browser sends it: multipart, the files in "attachments".
func answerWithFiles(t *testing.T, s *staffer, number, body string, files map[string][]byte) page {
	t.Helper()
	desk := itemDeskOpen(t, s, number)
	form := url.Values{"action": {"answer"}, "body": {body}, "csrf_token": {s.tokenIn("/staff/items/"+number, desk)}}
	if m := pageVersion.FindStringSubmatch(desk); m != nil {
		form.Set("version", m[1])
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="attachments"; filename="`+name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		fw, _ := mw.CreatePart(h)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+"/staff/items/"+number+"/act", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(req)
}

// TestAnswerAttachmentsOnThePages (issue 15 §11): an officer answers with
// a photo and a PDF through the item desk; the timeline shows them by the
// answer, the PDF downloads under its name, another unit's officer cannot
// open them, and a refused answer names the file and writes nothing. The
// API's answer takes files as base64 too.
func TestAnswerAttachmentsOnThePages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sub := citizenItem("小区路灯坏了很久")
		delete(sub, "category")
		sub["unit"], sub["channel"] = "a", "qr_code"
		st, created := e.do("POST", "/api/v1/items", "", sub)
		if st != http.StatusCreated {
			t.Fatalf("file: %d %v", st, created)
		}
		number, code := created["number"].(string), created["access_code"].(string)
		officer := e.loggedIn(t, "officer-a")
		mustAct(t, officer, number, url.Values{"action": {"sign"}})

		t.Run("a file neither photo nor PDF is refused, nothing written", func(t *testing.T) {
			p := answerWithFiles(t, officer, number, "已修复。", map[string][]byte{"说明.docx": []byte("PK\x03\x04 not a pdf")})
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, "附件只接受照片（JPEG、PNG、GIF、WebP）或PDF文件") ||
				!strings.Contains(p.body, "所选的1个附件需要重新选择") {
				t.Fatalf("%d %s", p.status, p.body)
			}
			if it := stored(t, e, number); it.Status != archive.StatusSigned {
				t.Errorf("the refused answer changed the item: %s", it.Status)
			}
		})

		p := answerWithFiles(t, officer, number, "路灯已更换，附现场照片和维修单。", map[string][]byte{"现场.png": onePixelPNG, "维修单.pdf": onePDF})
		if p.status != http.StatusSeeOther {
			t.Fatalf("answer: %d %s", p.status, p.body)
		}
		desk := itemDeskOpen(t, officer, number)
		answered := desk[strings.Index(desk, `data-event="answered"`):]
		answered = answered[:strings.Index(answered, "</ul>")]
		pdf := regexp.MustCompile(`<a href="(/staff/items/` + number + `/attachments/\d+)" download="维修单.pdf">维修单.pdf</a>`).FindStringSubmatch(answered)
		img := regexp.MustCompile(`<img class="thumb" src="(/staff/items/` + number + `/attachments/\d+)" alt="答复附图：现场.png"`).FindStringSubmatch(answered)
		if pdf == nil || img == nil {
			t.Fatalf("the answer in the timeline lacks its files: %s", answered)
		}
		got := officer.get(pdf[1])
		if got.status != http.StatusOK || got.body != string(onePDF) {
			t.Errorf("the PDF: %d %q", got.status, got.body)
		}
		if st := e.loggedIn(t, "officer-b").get(pdf[1]).status; st != http.StatusForbidden {
			t.Errorf("another unit's officer opens the PDF: %d", st)
		}
		if p := officer.get(img[1]); p.status != http.StatusOK || p.cache != "private, max-age=86400" {
			t.Errorf("the photo: %d, Cache-Control %q", p.status, p.cache)
		}

		t.Run("the citizen", func(t *testing.T) {
			c := e.staffer(t)
			if p := c.get("/track/" + number + "?code=" + code); p.status != http.StatusSeeOther {
				t.Fatalf("track link: %d", p.status)
			}
			track := c.open("/track/" + number)
			files := regexp.MustCompile(`href="(/track/`+number+`/attachments/\d+)"`).FindAllStringSubmatch(track, -1)
			if len(files) != 2 || !strings.Contains(track, `alt="答复附图：现场.png"`) || !strings.Contains(track, `download="维修单.pdf">维修单.pdf</a>`) {
				t.Fatalf("the tracking page shows %d files: %s", len(files), track)
			}
			var pdfPath string
			for _, f := range files {
				if strings.Contains(track, `href="`+f[1]+`" download=`) {
					pdfPath = f[1]
				}
			}
			// Every file the citizen opens with the code is kept by no
			// cache, the browser's included: the device may be shared.
			for _, f := range files {
				p := c.get(f[1])
				if p.status != http.StatusOK || p.cache != "private, no-store" {
					t.Errorf("the citizen's %s: %d, Cache-Control %q", f[1], p.status, p.cache)
				}
			}
			p := c.get(pdfPath)
			if p.status != http.StatusOK || p.body != string(onePDF) {
				t.Errorf("the citizen's PDF: %d", p.status)
			}
			if st := e.staffer(t).get(pdfPath).status; st == http.StatusOK {
				t.Error("a visitor without the code opens the PDF")
			}
		})

		t.Run("API", func(t *testing.T) {
			n2 := itemDeskFile(t, e, "门口井盖丢了", "a")
			path := "/api/v1/items/" + n2 + "/actions"
			st, it := e.do("POST", path, "officer-a", map[string]any{"action": "sign", "version": 1})
			if st != http.StatusOK {
				t.Fatalf("sign: %d %v", st, it)
			}
			st, bad := e.do("POST", path, "officer-a", map[string]any{"action": "answer", "version": it["version"], "body": "已补上。",
				"attachments": []any{map[string]any{"name": "x.pdf", "data": base64.StdEncoding.EncodeToString([]byte("<html>"))}}})
			if st != http.StatusBadRequest || fieldsOf(bad)["attachments[0]"] == nil {
				t.Fatalf("a bad file: %d %v", st, bad)
			}
			st, done := e.do("POST", path, "officer-a", map[string]any{"action": "answer", "version": it["version"], "body": "已补上。",
				"attachments": []any{map[string]any{"name": "回执.pdf", "data": base64.StdEncoding.EncodeToString(onePDF)}}})
			if st != http.StatusOK || done["status"] != "answered" {
				t.Fatalf("answer: %d %v", st, done)
			}
			stored := stored(t, e, n2)
			files, err := db.ItemAttachments(ctx, stored.ID)
			if err != nil || len(files) != 1 || files[0].Name != "回执.pdf" || !files[0].IsPDF() {
				t.Errorf("stored %+v %v", files, err)
			}
		})
	})
}

// TestTrackShowsEachAnswerWithItsFiles: an item answered with a photo, rated
// unsatisfied and answered again with a PDF shows the citizen the last
// answer with the PDF alone, and the first answer in the timeline with its
// photo alone, on both databases.
func TestTrackShowsEachAnswerWithItsFiles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sub := citizenItem("楼道灯不亮")
		delete(sub, "category")
		sub["unit"], sub["channel"] = "a", "qr_code"
		st, created := e.do("POST", "/api/v1/items", "", sub)
		if st != http.StatusCreated {
			t.Fatalf("file: %d %v", st, created)
		}
		number, code := created["number"].(string), created["access_code"].(string)
		officer := e.loggedIn(t, "officer-a")
		mustAct(t, officer, number, url.Values{"action": {"sign"}})
		if p := answerWithFiles(t, officer, number, "第一次答复：已派人查看。", map[string][]byte{"第一次.png": onePixelPNG}); p.status != http.StatusSeeOther {
			t.Fatalf("first answer: %d %s", p.status, p.body)
		}
		c := e.staffer(t)
		if p := c.get("/track/" + number + "?code=" + code); p.status != http.StatusSeeOther {
			t.Fatalf("track link: %d", p.status)
		}
		track := c.open("/track/" + number)
		version := versionOnPage.FindStringSubmatch(track)[1]
		if p := c.submit("/track/"+number, "/track/"+number+"/rate", url.Values{"version": {version}, "satisfaction": {"unsatisfied"}, "reason": {"灯还是不亮"}}); p.status != http.StatusSeeOther {
			t.Fatalf("rate: %d %s", p.status, p.body)
		}
		if p := answerWithFiles(t, officer, number, "第二次答复：已换新灯。", map[string][]byte{"第二次.pdf": onePDF}); p.status != http.StatusSeeOther {
			t.Fatalf("second answer: %d %s", p.status, p.body)
		}
		track = c.open("/track/" + number)
		panel := track[strings.Index(track, `id="answer"`):strings.Index(track, "</section>")]
		if !strings.Contains(panel, "第二次答复") || !strings.Contains(panel, `download="第二次.pdf"`) || strings.Contains(panel, "第一次.png") {
			t.Errorf("the answer's panel: %s", panel)
		}
		timeline := track[strings.Index(track, `id="timeline"`):]
		timeline = timeline[:strings.Index(timeline, "</ol>")]
		first := timeline[strings.Index(timeline, "第一次答复"):]
		first = first[:strings.Index(first, "</li>")]
		if !strings.Contains(first, `alt="答复附图：第一次.png"`) || strings.Contains(first, "第二次.pdf") {
			t.Errorf("the first answer in the timeline: %s", first)
		}
		if n := strings.Count(track, `download="第二次.pdf"`) + strings.Count(track, `alt="答复附图：第一次.png"`); n != 2 {
			t.Errorf("each file should show once, shown %d times", n)
		}
	})
}
