package core

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"

	"minyi/archive"
)

// NoStore keeps an answer about one citizen's item out of every cache
// between the server and its reader, and out of the reader's history.
func NoStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "private, no-store") }

// WritePhoto serves a stored photo to staff or the public. Its type was
// sniffed from the bytes at upload, and nosniff keeps browsers from
// reinterpreting it. A photo never changes (a new one gets a new id), so
// the reader's browser may keep it a day; shared caches may not.
func WritePhoto(w http.ResponseWriter, photo archive.Photo) {
	writePhoto(w, photo, "private, max-age=86400")
}

// WriteCitizenPhoto serves a photo opened with a citizen's access code
// (their item's photos, its answer's): kept by no cache at all, not even the
// browser's, because the device may be shared (a family's phone, an
// internet café) and the photo may show their home or their face, and the
// API's address holds the access code itself.
func WriteCitizenPhoto(w http.ResponseWriter, photo archive.Photo) {
	writePhoto(w, photo, "private, no-store")
}

func writePhoto(w http.ResponseWriter, photo archive.Photo, cacheControl string) {
	if photo.Name != "" {
		// Shown in place, but saved as whose photo it is (2021-000001-2.jpg).
		w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": photo.Name}))
	}
	w.Header().Set("Content-Type", photo.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", cacheControl)
	w.Write(photo.Data)
}

// WriteDocument writes an attached document's bytes as a download of its
// type, named name: never shown inline nor sniffed, so a document cannot
// run as a page of ours, and kept by no shared cache.
func WriteDocument(w http.ResponseWriter, name, contentType string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

// WriteJSON writes v as the API's JSON answer with status, every time in
// it in the bureau's zone.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true) // markup in citizens' text stays inert even if a client injects it into HTML
	enc.Encode(inBureauZone(v))
}

// WriteAttachment sends an answer's file: a photo by writePhoto (staff's or
// the citizen's, which caches may keep or not), a PDF as a download named
// as it was sent (or after the item and its place), never shown inline nor
// sniffed, and kept by no cache.
func WriteAttachment(w http.ResponseWriter, number string, a archive.Attachment, writePhoto func(http.ResponseWriter, archive.Photo)) {
	if a.IsPDF() {
		name := a.Name
		if name == "" {
			name = number + "-" + strconv.FormatInt(a.ID, 10) + ".pdf"
		}
		WriteDocument(w, name, a.ContentType, a.Data)
		return
	}
	writePhoto(w, archive.Photo{PhotoInfo: archive.PhotoInfo{ID: a.ID, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256}, Data: a.Data})
}
