package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"minyi/archive"
	"minyi/internal/testdb"
	"minyi/locale"
	"minyi/org"
	"minyi/store"
)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// TestErrorsInTheReadersLanguage: a service's errors reach a Mongolian
// reader in Mongolian (locale/errors.json) and a traditional-Chinese reader
// in traditional characters: a refused write-in's summary and messages, and
// an error page. The API keeps its bilingual message and fields for every
// client and adds "mn" for one that asks for Mongolian. A refused form
// files nothing.
func TestErrorsInTheReadersLanguage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cat := locale.Default()
		refused := url.Values{"phone": {"12345"}}

		t.Run("a refused write-in in Mongolian", func(t *testing.T) {
			v := e.visitor()
			v.get("/prefs?lang=mn-Mong")
			st, body := v.post("/write", v.writeForm(url.Values{"phone": {"12345"}}))
			if st != http.StatusBadRequest {
				t.Fatalf("%d, want 400: %s", st, body)
			}
			checkMongolian(t, body)
			i := strings.Index(body, `class="error-summary"`)
			if i < 0 {
				t.Fatalf("no error summary: %s", body)
			}
			summary, _, _ := strings.Cut(body[i:], "</div>")
			items := strings.Split(summary, "<li>")[1:]
			if len(items) != 3 {
				t.Fatalf("%d problems in the summary, want 3 (kind, text, phone): %s", len(items), summary)
			}
			for _, li := range items {
				if hasHan(li) || !strings.ContainsFunc(li, func(r rune) bool { return r >= 0x1820 && r <= 0x18AF }) {
					t.Errorf("a problem not in Mongolian: %s", li)
				}
			}
			phone, _ := cat.ErrorText(locale.Mn, "电话号码格式不正确")
			if !strings.Contains(body, phone) {
				t.Errorf("the phone's problem is not %q", phone)
			}
			if strings.Contains(body, "电话号码格式不正确") {
				t.Errorf("the phone's problem is also shown in Chinese")
			}
		})

		t.Run("a refused write-in in traditional Chinese", func(t *testing.T) {
			v := e.visitor()
			v.get("/prefs?lang=zh-Hant")
			st, body := v.post("/write", v.writeForm(refused))
			if st != http.StatusBadRequest {
				t.Fatalf("%d, want 400", st)
			}
			if !strings.Contains(body, "電話號碼格式不正確") || strings.Contains(body, "电话号码格式不正确") {
				t.Errorf("the phone's problem is not in traditional characters")
			}
		})

		t.Run("error pages in Mongolian", func(t *testing.T) {
			v := e.visitor()
			v.get("/prefs?lang=mn-Mong")
			for _, tt := range []struct{ path, zh string }{
				{"/track/0000-000000?code=ABCDEFGH", "件号或查询码不正确"},
				{"/no-such-page", "没有这个页面"},
			} {
				st, body := v.get(tt.path)
				want, _ := cat.ErrorText(locale.Mn, tt.zh)
				if st != http.StatusNotFound || want == "" || !strings.Contains(body, want) || strings.Contains(body, tt.zh) {
					t.Errorf("%s: %d, want 404 saying %q, not %q", tt.path, st, want, tt.zh)
				}
			}
		})

		api := func(t *testing.T, lang string) (int, map[string]any) {
			t.Helper()
			req, _ := http.NewRequest("POST", e.url+"/api/v1/items", strings.NewReader(`{"kind":"consultation","channel":"online_box","text":"","contact":{"phone":"12345"}}`))
			req.Header.Set("Content-Type", jsonType)
			if lang != "" {
				req.Header.Set("Accept-Language", lang)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var out map[string]any
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			return resp.StatusCode, out
		}
		t.Run("the API adds Mongolian for a client that asks", func(t *testing.T) {
			st, out := api(t, "mn-Mong-CN,zh;q=0.8")
			if st != http.StatusBadRequest {
				t.Fatalf("%d: %v", st, out)
			}
			fields, _ := out["fields"].(map[string]any)
			phoneField := ""
			for k := range fields {
				if strings.HasSuffix(k, "phone") {
					phoneField = k
				}
			}
			if f, _ := fields[phoneField].(string); !strings.HasPrefix(f, "电话号码格式不正确 / ") {
				t.Errorf("fields: %v: the phone's bilingual text should stay", fields)
			}
			mn, _ := out["mn"].(map[string]any)
			if mn == nil {
				t.Fatalf("no mn: %v", out)
			}
			msg, _ := mn["message"].(string)
			if !strings.ContainsFunc(msg, func(r rune) bool { return r >= 0x1820 && r <= 0x18AF }) {
				t.Errorf("mn.message %q is not Mongolian", msg)
			}
			mnFields, _ := mn["fields"].(map[string]any)
			want, _ := cat.ErrorText(locale.Mn, "电话号码格式不正确")
			if got, _ := mnFields[phoneField].(string); got != want {
				t.Errorf("mn.fields.%s %q, want %q", phoneField, got, want)
			}
			if len(mnFields) != len(fields) {
				t.Errorf("mn.fields has %d problems, fields %d", len(mnFields), len(fields))
			}
			for k, v := range mnFields {
				if s, _ := v.(string); hasHan(s) {
					t.Errorf("mn.fields.%s %q has Chinese", k, s)
				}
			}
		})
		t.Run("the API is unchanged for other clients", func(t *testing.T) {
			for _, lang := range []string{"", "zh-CN", "en"} {
				st, out := api(t, lang)
				if st != http.StatusBadRequest {
					t.Fatalf("%q: %d", lang, st)
				}
				if _, ok := out["mn"]; ok {
					t.Errorf("%q: an mn the client did not ask for", lang)
				}
			}
		})

		if page, err := e.svc.List(ctx, org.User{Name: "admin", Role: org.RoleAdmin}, archive.Filter{}); err != nil || len(page.Items) != 0 {
			t.Errorf("refused forms filed something: %d items, %v", len(page.Items), err)
		}
	})
}
