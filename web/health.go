package web

import (
	"net/http"
	"time"

	"minyi"
	"minyi/archive"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	body := map[string]any{"status": "ok", "version": minyi.Version, "database": s.config.Dialect,
		"uptime_seconds": int(time.Since(s.started).Seconds())}
	if err := s.svc.Ping(r.Context()); err != nil {
		s.failed(w, r, http.StatusServiceUnavailable, err)
		body["status"] = "database unavailable"
		writeJSON(w, http.StatusServiceUnavailable, body)
		return nil
	}
	// The database answers but refuses writes (a full disk): degraded,
	// not ok, until a write succeeds again.
	if err := s.svc.WriteFailure(); err != nil {
		s.failed(w, r, http.StatusServiceUnavailable, err)
		body["status"] = "degraded"
		body["writes"] = minyi.ErrorMessage(err)
		writeJSON(w, http.StatusServiceUnavailable, body)
		return nil
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// meta publishes the codes clients must send with their Chinese labels, so
// no client hard-codes them.
func (s *Server) meta(w http.ResponseWriter, r *http.Request) error {
	actions := make([]string, 0)
	for _, a := range archive.Actions() {
		actions = append(actions, string(a))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"kinds": archive.Kinds, "channels": archive.Channels, "classes": archive.Classes,
		"statuses": archive.Statuses, "satisfactions": archive.Satisfactions, "actions": actions,
		"photo_types": archive.PhotoTypes, "max_photos": archive.MaxPhotos, "max_photo_bytes": archive.MaxPhotoBytes,
		"max_text_chars": archive.MaxTextRunes,
	})
	return nil
}
