package pages

import (
	"io"
	"mime/multipart"
	"slices"
	"strings"

	"minyi"
	"minyi/archive"
)

// photoErrs returns the messages of errs (field → message) about the
// photos sent as each of fields, e.g. "photos": the list's own ("photos")
// and each photo's ("photos[1]"), in the order of the fields and photos,
// to show beside the form's file input.
func photoErrs(errs map[string]string, fields ...string) []string {
	var out []string
	for _, f := range fields {
		var keys []string
		for k := range errs {
			if k == f || strings.HasPrefix(k, f+"[") {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(a, b string) int {
			if len(a) != len(b) { // photos before photos[1] before photos[10]
				return len(a) - len(b)
			}
			return strings.Compare(a, b)
		})
		for _, k := range keys {
			out = append(out, errs[k])
		}
	}
	return out
}

// uploadedPhotos reads the photos of a form's file input "photos" for a
// ledger's service to check: at most max+1 of them, each at most one byte
// over archive.MaxPhotoBytes, so that the service, not the page, names
// what is wrong (too many, too large, not a picture) in its words and
// writes nothing.
func uploadedPhotos(form *multipart.Form, max int) ([]archive.Photo, error) {
	if form == nil {
		return nil, nil
	}
	var out []archive.Photo
	for _, fh := range form.File["photos"] {
		if fh.Size == 0 && strings.TrimSpace(fh.Filename) == "" {
			continue // the empty file input of a form sent without photos
		}
		if len(out) > max {
			break
		}
		f, err := fh.Open()
		if err != nil {
			return nil, minyi.Internal(err)
		}
		data, err := io.ReadAll(io.LimitReader(f, archive.MaxPhotoBytes+1))
		f.Close()
		if err != nil {
			return nil, minyi.Internal(err)
		}
		out = append(out, archive.Photo{Data: data})
	}
	return out, nil
}

// formAttachments reads the files of a form's file input "attachments" for
// the archive to check (archive.CheckAttachments): at most one more than
// it takes, each at most one byte over the largest it takes, so that the
// archive, not the page, says what is wrong in its words.
func formAttachments(form *multipart.Form) ([]archive.Attachment, error) {
	if form == nil {
		return nil, nil
	}
	var out []archive.Attachment
	for _, fh := range form.File["attachments"] {
		if fh.Size == 0 && strings.TrimSpace(fh.Filename) == "" {
			continue // the empty file input of a form sent without files
		}
		if len(out) > archive.MaxAttachments {
			break
		}
		f, err := fh.Open()
		if err != nil {
			return nil, minyi.Internal(err)
		}
		data, err := io.ReadAll(io.LimitReader(f, archive.MaxPDFBytes+1))
		f.Close()
		if err != nil {
			return nil, minyi.Internal(err)
		}
		out = append(out, archive.Attachment{AttachmentInfo: archive.AttachmentInfo{Name: fh.Filename}, Data: data})
	}
	return out, nil
}
