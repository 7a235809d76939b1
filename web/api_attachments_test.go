package web_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"minyi/internal/testdb"
	"minyi/store"
)

// TestItemJSONListsFiles: the API's item lists the citizen's photos and the
// answers' files with their addresses, as the pages show them: staff get
// every answer's files with its event, the citizen (access code) each
// answer's own under it, without the event's place. The addresses serve
// the files to those who may see the item (staff of its unit, the citizen
// with the code), the citizen's kept by no cache; both views fit the
// OpenAPI document, on both databases.
func TestItemJSONListsFiles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sub := citizenItem("路口的红绿灯坏了")
		delete(sub, "category")
		sub["unit"], sub["channel"] = "a", "qr_code"
		sub["photos"] = []any{map[string]any{"data": base64.StdEncoding.EncodeToString(onePixelPNG)}}
		st, created := e.do("POST", "/api/v1/items", "", sub)
		if st != http.StatusCreated {
			t.Fatalf("file: %d %v", st, created)
		}
		number, code := created["number"].(string), created["access_code"].(string)
		path := "/api/v1/items/" + number
		file := func(name string, data []byte) map[string]any {
			return map[string]any{"name": name, "data": base64.StdEncoding.EncodeToString(data)}
		}
		version := 1.0
		for _, c := range []map[string]any{
			{"action": "sign"},
			{"action": "answer", "body": "已报修。", "attachments": []any{file("报修单.pdf", onePDF)}},
		} {
			c["version"] = version
			st, it := e.do("POST", path+"/actions", "officer-a", c)
			if st != http.StatusOK {
				t.Fatalf("%v: %d %v", c["action"], st, it)
			}
			version = it["version"].(float64)
		}
		st, rated := e.do("POST", path+"/actions?access_code="+code, "", map[string]any{"action": "rate", "satisfaction": "unsatisfied", "body": "还是不亮", "version": version})
		if st != http.StatusOK {
			t.Fatalf("rate: %d %v", st, rated)
		}
		_, staffView := e.do("GET", path, "officer-a", nil)
		version = staffView["item"].(map[string]any)["version"].(float64)
		st, it := e.do("POST", path+"/actions", "officer-a", map[string]any{"action": "answer", "body": "已更换信号灯。", "version": version,
			"attachments": []any{file("现场.png", onePixelPNG)}})
		if st != http.StatusOK {
			t.Fatalf("second answer: %d %v", st, it)
		}

		_, doc := e.do("GET", "/api/v1/openapi.json", "", nil)
		schemas := compileSchemas(t, doc)

		t.Run("staff", func(t *testing.T) {
			st, v := e.do("GET", path, "officer-a", nil)
			if st != http.StatusOK {
				t.Fatalf("%d %v", st, v)
			}
			if err := conforms(schemas["ItemView"], v); err != nil {
				t.Errorf("does not fit ItemView: %v", err)
			}
			files, _ := v["attachments"].([]any)
			if len(files) != 2 {
				t.Fatalf("attachments %v", v["attachments"])
			}
			seqs := map[float64]bool{}
			for _, f := range files {
				f := f.(map[string]any)
				seqs[f["event_seq"].(float64)] = true
				url, _ := f["url"].(string)
				if !strings.HasPrefix(url, path+"/attachments/") || f["sha256"] == "" || f["size"] == 0.0 {
					t.Errorf("a file: %v", f)
				}
				if a := e.send("GET", url, "officer-a", "", ""); a.status != http.StatusOK {
					t.Errorf("staff open %s: %d", url, a.status)
				}
				if a := e.send("GET", url, "officer-b", "", ""); a.status != http.StatusForbidden {
					t.Errorf("another unit's officer opens %s: %d", url, a.status)
				}
			}
			if len(seqs) != 2 {
				t.Errorf("the two answers' files name the same event: %v", seqs)
			}
			photos, _ := v["item"].(map[string]any)["photos"].([]any)
			if len(photos) != 1 || !strings.HasPrefix(photos[0].(map[string]any)["url"].(string), path+"/photos/") {
				t.Errorf("photos %v", photos)
			}
		})

		t.Run("citizen", func(t *testing.T) {
			st, v := e.do("GET", path+"?access_code="+code, "", nil)
			if st != http.StatusOK {
				t.Fatalf("%d %v", st, v)
			}
			if err := conforms(schemas["CitizenView"], v); err != nil {
				t.Errorf("does not fit CitizenView: %v", err)
			}
			var answers [][]string
			for _, ev := range v["events"].([]any) {
				ev := ev.(map[string]any)
				if ev["type"] != "answered" {
					if ev["attachments"] != nil {
						t.Errorf("files under a %s", ev["type"])
					}
					continue
				}
				var names []string
				for _, f := range ev["attachments"].([]any) {
					f := f.(map[string]any)
					names = append(names, f["name"].(string))
					if _, has := f["event_seq"]; has {
						t.Errorf("the citizen sees the event's place: %v", f)
					}
					url := f["url"].(string)
					a := e.send("GET", url+"?access_code="+code, "", "", "")
					if a.status != http.StatusOK || a.header.Get("Cache-Control") != "private, no-store" {
						t.Errorf("the citizen opens %s: %d, Cache-Control %q", url, a.status, a.header.Get("Cache-Control"))
					}
					if a := e.send("GET", url+"?access_code=WRONG123", "", "", ""); a.status == http.StatusOK {
						t.Errorf("a wrong code opens %s", url)
					}
					if a := e.send("GET", url, "", "", ""); a.status != http.StatusUnauthorized {
						t.Errorf("no code opens %s: %d", url, a.status)
					}
				}
				answers = append(answers, names)
			}
			if len(answers) != 2 || strings.Join(answers[0], ",") != "报修单.pdf" || strings.Join(answers[1], ",") != "现场.png" {
				t.Errorf("each answer's files: %v", answers)
			}
			photos, _ := v["item"].(map[string]any)["photos"].([]any)
			if len(photos) != 1 || !strings.HasPrefix(photos[0].(map[string]any)["url"].(string), path+"/photos/") {
				t.Errorf("photos %v", photos)
			}
		})
	})
}
