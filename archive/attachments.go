package archive

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"minyi"
)

// Answers may carry attachments (答复附件): photos of what was done and PDF
// documents (a decision, a notice), which the citizen opens from the
// tracking page with the access code and staff from the item's timeline.

// Limits on an answer's attachments: photos as the items' own
// (MaxPhotoBytes), PDF documents up to MaxPDFBytes.
const (
	MaxAttachments = 4
	MaxPDFBytes    = 10 << 20
	// MaxAttachmentsBytes bounds an answer's files together, so that an
	// answer that passes every file's limit also fits the request's body
	// limit (32 MB, as base64 in the API's JSON too) and is told why here
	// rather than refused as too large a request.
	MaxAttachmentsBytes  = 20 << 20
	MaxAttachmentNameLen = 100 // runes
	// ContentTypePDF is the type of a PDF attachment, judged from its
	// first bytes (%PDF-), never from the name a client gave.
	ContentTypePDF = "application/pdf"
)

// AttachmentInfo describes a stored attachment without its bytes: the
// event (Seq) of the answer it came with, the name it was sent under, and
// what is known from its bytes.
type AttachmentInfo struct {
	ID int64 `json:"id"`
	// Seq is the answer's event; a citizen's view, which shows no event's
	// place in the log, lists the files under their answer without it.
	Seq         int64  `json:"event_seq,omitempty"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
	// URL is where the API serves the file, filled in by the API's answers
	// about an item; empty elsewhere.
	URL string `json:"url,omitempty"`
}

// IsPDF reports whether the attachment is a PDF document rather than a photo.
func (a AttachmentInfo) IsPDF() bool { return a.ContentType == ContentTypePDF }

// Attachment is a file of an answer with its bytes; uploads give Name and
// Data, CheckAttachments describes them.
type Attachment struct {
	AttachmentInfo
	Data []byte `json:"data"` // base64 in the API's JSON
}

// sniffAttachment judges an attachment's type from its bytes: a PDF by its
// magic %PDF-, anything else as a browser would (images for photos).
func sniffAttachment(data []byte) string {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return ContentTypePDF
	}
	return http.DetectContentType(data)
}

// CheckAttachments is the rule of an answer's files: at most
// MaxAttachments, each non-empty, a photo (JPEG, PNG, GIF or WebP) of at
// most MaxPhotoBytes or a PDF of at most MaxPDFBytes, judged from the
// bytes. A problem names field or the file (field[i]). It returns the files
// described (type, size, SHA-256, a clean name).
func CheckAttachments(p *minyi.Problems, field string, files []Attachment) []Attachment {
	if len(files) > MaxAttachments {
		p.Add(field, "附件最多"+itoa(MaxAttachments)+"个", "at most "+itoa(MaxAttachments)+" attachments")
	}
	out := make([]Attachment, len(files))
	for i, f := range files {
		name := field + "[" + itoa(i) + "]"
		sum := sha256.Sum256(f.Data)
		f.ContentType, f.Size, f.SHA256 = sniffAttachment(f.Data), len(f.Data), hex.EncodeToString(sum[:])
		f.ID, f.Seq = 0, 0
		f.Name = attachmentName(f.Name, i, f.ContentType)
		switch {
		case len(f.Data) == 0:
			p.Add(name, "附件为空", "attachment is empty")
		case f.ContentType == ContentTypePDF:
			if len(f.Data) > MaxPDFBytes {
				p.Add(name, "PDF文件不能超过10MB", "a PDF must be at most 10 MB")
			}
		case known(photoLabels, f.ContentType):
			if len(f.Data) > MaxPhotoBytes {
				p.Add(name, "照片不能超过5MB", "photo must be at most 5 MB")
			}
		default:
			p.Add(name, "附件只接受照片（JPEG、PNG、GIF、WebP）或PDF文件", "an attachment must be a photo (JPEG, PNG, GIF, WebP) or a PDF")
		}
		out[i] = f
	}
	total := 0
	for _, f := range files {
		total += len(f.Data)
	}
	if total > MaxAttachmentsBytes {
		p.Add(field, "附件合计不能超过20MB", "the attachments together must be at most 20 MB")
	}
	return out
}

// attachmentName keeps the base of the name a file was sent under, without
// control characters or path, at most MaxAttachmentNameLen runes, and
// names a file sent without one after its place and type (附件2.pdf).
func attachmentName(name string, i int, contentType string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' || r == '"' {
			return -1
		}
		return r
	}, path.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/")))
	if name == "." || name == "/" {
		name = ""
	}
	if utf8.RuneCountInString(name) > MaxAttachmentNameLen {
		name = string([]rune(name)[:MaxAttachmentNameLen])
	}
	if name == "" {
		ext := map[string]string{ContentTypePDF: ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}[contentType]
		name = "附件" + itoa(i+1) + ext
	}
	return name
}

// AttachmentSums is the files' SHA-256 sums, comma-separated, as the answer
// event records them: the hash chain then covers the files' bytes.
func AttachmentSums(files []Attachment) string {
	sums := make([]string, len(files))
	for i, f := range files {
		sums[i] = f.SHA256
	}
	return strings.Join(sums, ",")
}
