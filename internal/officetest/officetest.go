// Package officetest lets tests read the documents minyi writes back with a
// real office suite: LibreOffice, run headless to convert a file to another
// format (plain text, OpenDocument), so a test sees what a reader would.
//
// scripts/office-deps installs LibreOffice (Debian's libreoffice-writer-nogui)
// and a CJK font. When soffice is missing the tests skip, unless
// MINYI_REQUIRE_OFFICE=1 (set by scripts/test) makes them fail.
//
// Environment:
//   - MINYI_SOFFICE: the soffice binary (default: soffice on the PATH).
//   - MINYI_REQUIRE_OFFICE=1: fail instead of skip when soffice is missing.
package officetest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Timeout bounds one conversion; LibreOffice's first start makes its
// profile, which takes several seconds on a busy two-core machine.
const Timeout = 3 * time.Minute

// Soffice is the soffice binary, or "" when there is none.
func Soffice() string {
	name := "soffice"
	if p := os.Getenv("MINYI_SOFFICE"); p != "" {
		name = p
	}
	p, _ := exec.LookPath(name)
	return p
}

// Require skips t when soffice is missing or, under MINYI_REQUIRE_OFFICE=1,
// fails it; it returns the binary.
func Require(t testing.TB) string {
	t.Helper()
	p := Soffice()
	if p == "" {
		if mustRun() {
			t.Fatalf("officetest: soffice is missing: run scripts/office-deps (MINYI_REQUIRE_OFFICE=1)")
		}
		t.Skipf("officetest: soffice is missing: run scripts/office-deps")
	}
	return p
}

// mustRun tells whether a missing soffice fails the tests (scripts/test)
// rather than skipping them (a developer's quick run).
func mustRun() bool { return os.Getenv("MINYI_REQUIRE_OFFICE") == "1" }

// Convert has LibreOffice open data (a file of extension ext, e.g. "docx")
// and convert it to format (its --convert-to argument, e.g. "odt" or
// "txt:Text (encoded):UTF8"), whose files end in outExt; it returns the
// converted file and fails t when LibreOffice could not open or convert it.
func Convert(t testing.TB, data []byte, ext, format, outExt string) []byte {
	t.Helper()
	soffice := Require(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in."+ext)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	// A profile of its own, so that tests running at once (and a person's
	// LibreOffice) never share one: soffice would hand the work to the
	// other instance or wait for its lock.
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--nologo", "--convert-to", format, "--outdir", filepath.Join(dir, "out"), in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("officetest: soffice --convert-to %s: %v\n%s", format, err, out.String())
	}
	got, err := os.ReadFile(filepath.Join(dir, "out", "in."+outExt))
	if err != nil {
		t.Fatalf("officetest: LibreOffice wrote no %s (it could not open the file?): %v\n%s", outExt, err, out.String())
	}
	return got
}

// Text is a .docx file's text as LibreOffice reads it: paragraphs and table
// cells, one a line.
func Text(t testing.TB, docx []byte) string {
	t.Helper()
	return strings.TrimPrefix(string(Convert(t, docx, "docx", "txt:Text (encoded):UTF8", "txt")), "\uFEFF")
}

// XMLText reads a .docx as a program would: it unzips it, parses every XML
// part with encoding/xml (failing t on any that is not well-formed) and
// returns the text of word/document.xml, a line per paragraph, and the
// parts by name.
func XMLText(t testing.TB, docx []byte) (string, map[string][]byte) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatalf("officetest: not a zip: %v", err)
	}
	parts := map[string][]byte{}
	var text strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("officetest: %s: %v", f.Name, err)
		}
		parts[f.Name] = b
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		d := xml.NewDecoder(bytes.NewReader(b))
		inT := false
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("officetest: %s: %v", f.Name, err)
			}
			if f.Name != "word/document.xml" {
				continue
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				inT = tok.Name.Local == "t"
			case xml.EndElement:
				inT = false
				if tok.Name.Local == "p" {
					text.WriteString("\n")
				}
			case xml.CharData:
				if inT {
					text.Write(tok)
				}
			}
		}
	}
	if _, ok := parts["word/document.xml"]; !ok {
		t.Fatal("officetest: no word/document.xml")
	}
	return text.String(), parts
}
