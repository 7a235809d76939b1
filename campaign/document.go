package campaign

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
	"minyi/archive"
)

// The document types a campaign's plan may attach.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeDOC  = "application/msword"
	TypeXLS  = "application/vnd.ms-excel"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeWebP = "image/webp"
	TypeText = "text/plain; charset=utf-8"
)

// NewDocument checks an attached document, named name, of the bytes data,
// and returns its record: its type judged by its bytes (the name only tells
// a Word file from an Excel one in the old binary format), its size and
// digest. Anything but PDF, Word, Excel, PNG, JPEG, WebP and UTF-8 text is
// refused naming the field document; so is an empty or too large file.
func NewDocument(name string, data []byte, actor string, now time.Time) (Document, error) {
	var p minyi.Problems
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	if name == "." || name == "/" {
		name = ""
	}
	name = archive.CheckNamedText(&p, "name", "文件名", name, MaxDocNameRunes, true)
	if strings.ContainsAny(name, "\n\r\t") {
		p.Add("name", "文件名不能含换行", "name must not contain line breaks")
	}
	switch {
	case len(data) == 0:
		p.Add("document", "请选择要上传的文件", "document is empty")
	case len(data) > MaxDocumentBytes:
		p.Add("document", "文件不能超过10MB", "document must be at most 10 MB")
	}
	if err := p.Err(); err != nil {
		return Document{}, err
	}
	typ := Sniff(name, data)
	if typ == "" {
		return Document{}, minyi.Invalid("document", "只能上传PDF、Word、Excel、图片（PNG、JPEG、WebP）或文本文件",
			"document must be a PDF, Word or Excel file, an image (PNG, JPEG, WebP) or UTF-8 text")
	}
	sum := sha256.Sum256(data)
	return Document{Name: name, ContentType: typ, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]),
		CreatedBy: actor, CreatedAt: now}, nil
}

// Sniff returns the content type of data, one of the types above, or ""
// when it is none of them. It reads the bytes: a renamed executable is no
// PDF.
func Sniff(name string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return TypeJPEG
	case len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP":
		return TypeWebP
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return officeType(data)
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		// The old binary Office format holds Word and Excel alike.
		switch ext {
		case ".doc":
			return TypeDOC
		case ".xls":
			return TypeXLS
		}
		return ""
	case utf8.Valid(data) && !bytes.ContainsRune(data, 0) && textual(data):
		return TypeText
	}
	return ""
}

// officeType tells a Word document from an Excel workbook by the parts the
// zip holds; any other zip is refused.
func officeType(data []byte) string {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	for _, f := range z.File {
		switch {
		case f.Name == "word/document.xml":
			return TypeDOCX
		case f.Name == "xl/workbook.xml":
			return TypeXLSX
		}
	}
	return ""
}

// textual reports whether data holds no control characters but line
// breaks, tabs and form feeds.
func textual(data []byte) bool {
	for _, r := range string(data) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			return false
		}
	}
	return true
}

// Extension is the usual file extension of a content type, for a name
// sent back without one.
func Extension(contentType string) string {
	return map[string]string{TypePDF: ".pdf", TypeDOCX: ".docx", TypeXLSX: ".xlsx", TypeDOC: ".doc", TypeXLS: ".xls",
		TypePNG: ".png", TypeJPEG: ".jpg", TypeWebP: ".webp", TypeText: ".txt"}[contentType]
}
