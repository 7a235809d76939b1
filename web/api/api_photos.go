package api

import (
	"context"
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/volunteer"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The ledgers' photos: sent as base64 in JSON, as an item's (photoUpload),
// checked by archive.CheckPhotos, stored with the record in the change's
// transaction, and read one at a time by staff who may see the record;
// a published matter's photos also by anybody (matter.Matter.PhotosPublic).

// photoUpload is one photo of a request: its bytes, base64 in JSON.
type photoUpload struct {
	Data []byte `json:"data"`
}

// photosOf returns the uploads as photos to check and store.
func photosOf(ups []photoUpload) []archive.Photo {
	if len(ups) == 0 {
		return nil
	}
	out := make([]archive.Photo, len(ups))
	for i, u := range ups {
		out[i].Data = u.Data
	}
	return out
}

// photoRoutes are the routes that serve the ledgers' photos.
func (s *API) photoRoutes() []route {
	photo := param{"photo", "path", "the photo's id"}
	return []route{
		{method: "GET", pattern: "/api/v1/matters/{id}/photos/{photo}", handler: s.getMatterPhoto, auth: "staff", summary: "A photo of a matter's progress entry or outcome story (staff who may see the matter)", response: "binary", status: 200,
			params: []param{{"id", "path", "the matter's id"}, photo}},
		{method: "GET", pattern: "/api/v1/volunteer-activities/{id}/photos/{photo}", handler: s.getActivityPhoto, auth: "staff", summary: "A photo of a volunteer activity (staff who may see the activity)", response: "binary", status: 200,
			params: []param{{"id", "path", "volunteer activity id"}, photo}},
		{method: "GET", pattern: "/matters/{id}/photos/{photo}", handler: s.getPublicMatterPhoto, summary: "A photo of a published matter, for the citizens' accountability page: anybody may read it when the matter is published and its beneficiary is a village or group or consented to be shown; otherwise 404, as for a matter that does not exist", response: "binary", status: 200,
			params: []param{{"id", "path", "the matter's id"}, photo}},
	}
}

// photoID reads the path's {photo}.
func photoID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil || id <= 0 {
		return 0, minyi.Invalid("photo", "照片编号无效", "photo id must be a positive number")
	}
	return id, nil
}

// recordPhoto answers a photo of the record at the path's {id} that get
// returns for the caller.
func recordPhoto(w http.ResponseWriter, r *http.Request, rs records, get func(ctx context.Context, u org.User, id, photo int64) (archive.Photo, error)) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := rs.id(r)
	if err != nil {
		return err
	}
	photo, err := photoID(r)
	if err != nil {
		return err
	}
	p, err := get(r.Context(), u, id, photo)
	if err != nil {
		return err
	}
	core.WritePhoto(w, p)
	return nil
}

func (s *API) getMatterPhoto(w http.ResponseWriter, r *http.Request) error {
	return recordPhoto(w, r, matterRecords, s.Svc.Matters.Photo)
}

func (s *API) getActivityPhoto(w http.ResponseWriter, r *http.Request) error {
	return recordPhoto(w, r, activityRecords, s.Svc.Volunteer.Photo)
}

// getPublicMatterPhoto serves a published matter's photo to anybody. The
// photo of a record never changes (a new one gets a new id), so caches
// may keep it; unpublishing takes effect for new readers at once.
func (s *API) getPublicMatterPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := matterRecords.id(r)
	if err != nil {
		return err
	}
	photo, err := photoID(r)
	if err != nil {
		return err
	}
	p, err := s.Svc.Matters.PublicPhoto(r.Context(), id, photo)
	if err != nil {
		return err
	}
	core.WritePhoto(w, p)
	return nil
}

// activityRequest is the JSON of POST /api/v1/volunteer-activities: the
// activity and its first photos.
type activityRequest struct {
	volunteer.Activity
	Photos []photoUpload `json:"photos,omitempty"`
}

func (q activityRequest) activity() volunteer.Activity {
	a := q.Activity
	a.NewPhotos = photosOf(q.Photos)
	return a
}

// uploadSchema is the schema of a request's photos: at most max, each
// base64 of a JPEG, PNG, GIF or WebP image of at most 5 MB.
func uploadSchema(max int) map[string]any {
	photo := closed([]string{"data"}, map[string]any{"data": map[string]any{"type": "string", "format": "byte",
		"minLength": 1, "maxLength": (archive.MaxPhotoBytes + 2) / 3 * 4,
		"description": "base64 of a JPEG, PNG, GIF or WebP image"}})
	return map[string]any{"type": "array", "maxItems": max, "items": photo}
}

// photoInfos is the schema of the photos an answer lists (without bytes).
var photoInfos = openapi.Arr(openapi.Obj([]string{"id", "content_type", "size", "sha256"}, map[string]any{
	"id": openapi.Int, "content_type": openapi.Str, "size": openapi.Int, "sha256": openapi.Str}))
