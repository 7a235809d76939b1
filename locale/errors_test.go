package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// errorSource is one Chinese error text found in the program's source: its
// format (verbs for what the code fills in) and where it is written.
type errorSource struct {
	zh  string
	pos string
}

// collectErrorTexts parses the module's Go source (tests aside) and returns
// the Chinese texts of the errors it builds, so that TestErrorTexts can ask
// for a Mongolian text for each. It reads, without type-checking:
//   - minyi.Errorf's format and minyi.Error's Message, the half before " / ";
//   - minyi.FieldError literals' Zh, also the elided ones in []minyi.FieldError;
//   - the argument given for a parameter named zh (or zh…) of any function
//     or method declared in the module (Problems.Add, minyi.Invalid and the
//     packages' own helpers such as notFound, illegal, CheckDay), report's
//     document texts aside;
//   - the Chinese of `return "中文", "English"` (codelist's checks) and of
//     `zh, en := "中文", "English"`.
//
// A text built from literals and other values becomes a format with %s for
// the others ("%s不存在"); a text with no literal Chinese in it is skipped.
func collectErrorTexts(t *testing.T, root string) []errorSource {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "tmp" || d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// zhParams maps a function's name to the indexes of its parameters
	// named zh…: the Chinese text of an error, or the Chinese name of the
	// field it is about. The report package's t(zh, en) picks a document's
	// language and is no error.
	zhParams := map[string][]int{}
	addParams := func(name string, ft *ast.FuncType) {
		i := 0
		for _, field := range ft.Params.List {
			names := field.Names
			if len(names) == 0 {
				i++
				continue
			}
			for _, n := range names {
				if n.Name == "zh" || strings.HasPrefix(n.Name, "zh") && len(n.Name) > 2 && unicode.IsUpper(rune(n.Name[2])) {
					zhParams[name] = append(zhParams[name], i)
				}
				i++
			}
		}
	}
	for _, f := range files {
		if f.Name.Name == "report" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				addParams(n.Name.Name, n.Type)
			case *ast.AssignStmt:
				for i, r := range n.Rhs {
					if lit, ok := r.(*ast.FuncLit); ok && i < len(n.Lhs) {
						if id, ok := n.Lhs[i].(*ast.Ident); ok {
							addParams(id.Name, lit.Type)
						}
					}
				}
			}
			return true
		})
	}
	var out []errorSource
	add := func(e ast.Expr, message, format bool) {
		s, ok := textOf(e, format)
		if !ok {
			return
		}
		if message {
			zh, _, found := strings.Cut(s, " / ")
			if !found {
				return
			}
			s = zh
		}
		if !strings.ContainsFunc(verb.ReplaceAllString(s, ""), isHan) {
			return
		}
		out = append(out, errorSource{zh: s, pos: fset.Position(e.Pos()).String()})
	}
	for _, f := range files {
		inPkgMinyi := f.Name.Name == "minyi"
		isMinyi := func(e ast.Expr, name string) bool {
			switch e := e.(type) {
			case *ast.Ident:
				return inPkgMinyi && e.Name == name
			case *ast.SelectorExpr:
				x, ok := e.X.(*ast.Ident)
				return ok && x.Name == "minyi" && e.Sel.Name == name
			}
			return false
		}
		fieldError := func(lit *ast.CompositeLit) {
			for i, el := range lit.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Zh" {
						add(kv.Value, false, false)
					}
				} else if i == 1 {
					add(el, false, false)
				}
			}
		}
		// pair takes the Chinese of `return "中文", "English"` or
		// `zh, en := "中文", "English"`.
		pair := func(exprs []ast.Expr) {
			if len(exprs) != 2 {
				return
			}
			if en, ok := textOf(exprs[1], false); ok && strings.ContainsFunc(en, unicode.IsLetter) && !strings.ContainsFunc(en, isHan) {
				add(exprs[0], false, false)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if isMinyi(n.Fun, "Errorf") && len(n.Args) > 1 {
					add(n.Args[1], true, true)
					return true
				}
				if f.Name.Name == "report" {
					return true
				}
				for _, i := range zhParams[name] {
					if i < len(n.Args) {
						add(n.Args[i], false, false)
					}
				}
			case *ast.CompositeLit:
				switch {
				case isMinyi(n.Type, "FieldError"):
					fieldError(n)
				case isMinyi(n.Type, "Error"):
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
								add(kv.Value, true, false)
							}
						}
					}
				default:
					if at, ok := n.Type.(*ast.ArrayType); ok && isMinyi(at.Elt, "FieldError") {
						for _, el := range n.Elts {
							if lit, ok := el.(*ast.CompositeLit); ok && lit.Type == nil {
								fieldError(lit)
							}
						}
					}
				}
			case *ast.ReturnStmt:
				pair(n.Results)
			case *ast.AssignStmt:
				if len(n.Lhs) == 2 {
					if id, ok := n.Lhs[0].(*ast.Ident); ok && strings.HasPrefix(id.Name, "zh") {
						pair(n.Rhs)
					}
				}
			}
			return true
		})
	}
	return out
}

// textOf renders a string expression as a format: the literal parts as they
// are (a text's own % doubled unless the literal is itself a format), the
// format of a fmt.Sprintf, and %s for anything else.
func textOf(e ast.Expr, format bool) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return "", false
		}
		if !format {
			s = strings.ReplaceAll(s, "%", "%%")
		}
		return s, true
	case *ast.ParenExpr:
		return textOf(e.X, format)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, okA := textOf(e.X, format)
		b, okB := textOf(e.Y, format)
		if !okA && !okB {
			return "", false
		}
		if !okA {
			a = "%s"
		}
		if !okB {
			b = "%s"
		}
		return a + b, true
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
			return textOf(e.Args[0], true)
		}
	}
	return "", false
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// TestErrorTexts fails when an error the program can return has Chinese
// text without a Mongolian one in errors.json, so that no new error reaches
// a Mongolian reader in Chinese; and when errors.json keeps a text no code
// writes any more, or a Mongolian text not in the Mongolian script or with
// other verbs than its Chinese.
func TestErrorTexts(t *testing.T) {
	c := Default()
	found := collectErrorTexts(t, "..")
	if len(found) < 300 {
		t.Fatalf("only %d error texts found in the source: is the collector broken?", len(found))
	}
	inSource := map[string]bool{}
	var missing []string
	for _, s := range found {
		inSource[s.zh] = true
		if _, ok := c.errors[s.zh]; !ok && !slices.Contains(missing, s.zh) {
			missing = append(missing, s.zh)
			t.Errorf("%s: %q has no Mongolian text in locale/errors.json", s.pos, s.zh)
		}
	}
	if path := os.Getenv("MINYI_MISSING_ERRORS"); path != "" && len(missing) > 0 {
		// A translator's aid: the missing texts, one a line.
		if err := os.WriteFile(path, []byte(strings.Join(missing, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	keys := make([]string, 0, len(c.errors))
	for k := range c.errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		mn := c.errors[k]
		if !inSource[k] {
			t.Errorf("errors.json: %q is not an error text of the source any more", k)
		}
		if !strings.ContainsFunc(mn, isMongolian) {
			t.Errorf("errors.json: %q: %q has no letter of the Mongolian script", k, mn)
		}
		if strings.ContainsFunc(mn, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			t.Errorf("errors.json: %q: %q has Cyrillic letters", k, mn)
		}
		if got, want := verb.FindAllString(mn, -1), verb.FindAllString(k, -1); !slices.Equal(got, want) {
			t.Errorf("errors.json: %q: %q has verbs %v, the Chinese %v", k, mn, got, want)
		}
	}
}

// TestErrorText checks how an error's Chinese text becomes Mongolian: a
// whole text, a pattern with its values kept (or translated when a value is
// itself a known text, such as a field's name), a field's name before a
// message, and no Mongolian for an unknown text or another language.
func TestErrorText(t *testing.T) {
	c := Default()
	mn := func(zh string) string {
		t.Helper()
		s, ok := c.ErrorText(Mn, zh)
		if !ok {
			t.Fatalf("no Mongolian for %q", zh)
		}
		return s
	}
	nnbsp := "\u202f"
	tests := []struct {
		name, zh, want string
		ok             bool
	}{
		{"whole text", "不能为空", mn("不能为空"), true},
		{"pattern keeps the value", "请求过于频繁，请42秒后再试", strings.Replace(c.errors["请求过于频繁，请%d秒后再试"], "%d", "42", 1), true},
		{"a value that is a known text is translated", "标题不能超过200字", mn("标题") + " 200 " + "ᠦᠰᠦᠭ" + nnbsp + "ᠡᠴᠡ ᠬᠡᠲᠦᠷᠴᠦ ᠪᠣᠯᠬᠤ ᠦᠭᠡᠢ", true},
		{"an unknown value stays", "用户“bob”不存在", mn("用户") + " “bob” ᠣᠯᠳᠠᠰᠠᠨ ᠦᠭᠡᠢ", true},
		{"a field's name before a message", "标题不能为空", mn("标题") + " " + mn("不能为空"), true},
		{"the most specific pattern wins", "单位“x”不存在", mn("单位") + " “x” ᠣᠯᠳᠠᠰᠠᠨ ᠦᠭᠡᠢ", true},
		{"unknown", "这句话不是任何错误", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.ErrorText(Mn, tt.zh)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ErrorText(%q) = %q, %v; want %q, %v", tt.zh, got, ok, tt.want, tt.ok)
			}
			if ok && !strings.ContainsFunc(got, isMongolian) {
				t.Errorf("%q has no Mongolian", got)
			}
		})
	}
	for _, l := range []Lang{Hans, Hant, En} {
		if got, ok := c.ErrorText(l, "不能为空"); ok {
			t.Errorf("ErrorText(%s) = %q: only Mongolian has texts of its own", l, got)
		}
	}
	if len(c.UnreviewedErrors()) > len(c.ErrorKeys()) || len(c.ErrorKeys()) < 300 {
		t.Errorf("%d unreviewed of %d error texts", len(c.UnreviewedErrors()), len(c.ErrorKeys()))
	}
}

func TestFillVerbs(t *testing.T) {
	values := []string{"a", "b"}
	get := func(i int) string { return values[i] }
	tests := []struct{ format, want string }{
		{"%s and %d", "a and b"},
		{"%[2]s before %[1]s", "b before a"},
		{"100%% %s", "100% a"},
	}
	for _, tt := range tests {
		if got := fillVerbs(tt.format, get); got != tt.want {
			t.Errorf("fillVerbs(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
}

// BenchmarkErrorText measures the look-up a Mongolian reader's error costs:
// a whole text, a pattern, and a text with no Mongolian (every pattern
// tried).
func BenchmarkErrorText(b *testing.B) {
	c := Default()
	for _, zh := range []string{"电话号码格式不正确", "标题不能超过200字", "这句话不是任何错误，也不像任何错误的样子"} {
		b.Run(zh, func(b *testing.B) {
			for b.Loop() {
				c.ErrorText(Mn, zh)
			}
		})
	}
}
