package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"

	"minyi"
)

// DescribePhotos returns photos with what is known from their bytes: the
// type sniffed from them (never the name a client gave), the size and the
// SHA-256. Photos already described are returned as they are, so a
// service may describe photos once and its rules check them again for free.
func DescribePhotos(photos []Photo) []Photo {
	out := slices.Clone(photos)
	for i := range out {
		ph := &out[i]
		if len(ph.Data) == 0 || (ph.SHA256 != "" && ph.Size == len(ph.Data)) {
			continue
		}
		sum := sha256.Sum256(ph.Data)
		ph.ContentType, ph.SHA256, ph.Size = http.DetectContentType(ph.Data), hex.EncodeToString(sum[:]), len(ph.Data)
	}
	return out
}

// CheckPhotos is the one rule of uploaded photos, items' and ledgers':
// at most max of them, each non-empty, at most MaxPhotoBytes, and JPEG,
// PNG, GIF or WebP judged from the bytes. A problem names field ("photos")
// or the photo (photos[i]). It returns the photos described
// (DescribePhotos).
func CheckPhotos(p *minyi.Problems, field string, photos []Photo, max int) []Photo {
	if len(photos) > max {
		p.Add(field, "照片最多"+itoa(max)+"张", "at most "+itoa(max)+" photos")
	}
	photos = DescribePhotos(photos)
	for i, ph := range photos {
		name := field + "[" + itoa(i) + "]"
		switch {
		case len(ph.Data) == 0:
			p.Add(name, "照片为空", "photo is empty")
		case len(ph.Data) > MaxPhotoBytes:
			p.Add(name, "照片不能超过5MB", "photo must be at most 5 MB")
		case !known(photoLabels, ph.ContentType):
			p.Add(name, "只接受JPEG、PNG、GIF或WebP照片", "photo must be JPEG, PNG, GIF or WebP")
		}
	}
	return photos
}

// PhotoSums is the photos' SHA-256 sums, comma-separated, as a ledger's
// event records them: the hash chain then covers the photos' bytes.
func PhotoSums(photos []Photo) string {
	s := ""
	for i, ph := range photos {
		if i > 0 {
			s += ","
		}
		s += ph.SHA256
	}
	return s
}

// NewPhoto is a photo a change of a ledger record adds, which the store
// writes in the change's transaction: a photo of the record's entry Entry
// (a matter's progress entry, numbered from 1) or, when Entry is 0, of the
// record itself (a matter's outcome story, a volunteer activity).
type NewPhoto struct {
	Photo
	Entry int
}

var photoLabels = func() []Label {
	out := make([]Label, len(PhotoTypes))
	for i, t := range PhotoTypes {
		out[i] = Label{Code: t}
	}
	return out
}()

// PhotoName is the file name of an item's nth photo (from 1) when it is
// saved: the item's number, the photo's place and the extension of its
// type (2021-000001-2.jpg), so that a citizen's or an officer's downloads
// say whose photos they are.
func PhotoName(number string, n int, contentType string) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}[contentType]
	return number + "-" + itoa(n) + ext
}
