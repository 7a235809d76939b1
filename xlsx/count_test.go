package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"strings"
	"testing"

	"minyi"
)

// WithSharedStrings lends withSharedStrings to the package's outside tests.
var WithSharedStrings = withSharedStrings

func TestCountElements(t *testing.T) {
	for _, c := range []struct {
		name, xml string
		max, want int
	}{
		{"none", `<?xml version="1.0"?><sst count="0"></sst>`, 10, 0},
		{"plain", `<sst><si><t>a</t></si><si><t>b</t></si></sst>`, 10, 2},
		{"attributes and empty", `<sst><si xml:space="preserve"><t>a</t></si><si/><si
><t>c</t></si></sst>`, 10, 3},
		{"prefixed", `<x:sst xmlns:x="m"><x:si><x:t>a</x:t></x:si></x:sst>`, 10, 1},
		{"closing tags and look-alikes not counted", `<sst><sis/><s/><sij></sij></si></x:si><sst/></sst>`, 10, 0},
		{"stops past max", strings.Repeat("<si/>", 50), 3, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			// A small buffer: names split across its refills are read whole.
			got, err := countElements(bufio.NewReaderSize(strings.NewReader(c.xml), 16), "si", 0, c.max)
			if err != nil || got != c.want {
				t.Errorf("countElements = %d, %v; want %d", got, err, c.want)
			}
		})
	}
}

// withSharedStrings is a workbook whose shared string table holds n
// one-letter texts: some kilobytes that excelize would unpack into a
// gigabyte.
func withSharedStrings(t *testing.T, n int) []byte {
	t.Helper()
	book, err := Write([]Sheet{{Name: "s", Rows: [][]string{{"标题"}, {"a"}}}})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		strings.Repeat("<si><t>a</t></si>", n) + `</sst>`
	written := false
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/sharedStrings.xml" {
			w.Write([]byte(sst))
			written = true
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		w.Write(b.Bytes())
	}
	if !written {
		t.Fatal("the written workbook has no shared string table")
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestCheckSharedStrings checks the limit at its edge, without excelize
// unpacking the table.
func TestCheckSharedStrings(t *testing.T) {
	for _, c := range []struct {
		n    int
		code string
	}{{1, ""}, {MaxSharedStrings, ""}, {MaxSharedStrings + 1, minyi.ETooLarge}} {
		if err := checkSharedStrings(withSharedStrings(t, c.n)); minyi.ErrorCode(err) != c.code {
			t.Errorf("%d texts: %v, want %q", c.n, err, c.code)
		}
	}
	if err := checkSharedStrings([]byte("not a zip")); err != nil {
		t.Errorf("not a zip: %v, want it left to excelize", err)
	}
}
