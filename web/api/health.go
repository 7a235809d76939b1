package api

import (
	"net/http"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/web/core"
)

func (s *API) healthz(w http.ResponseWriter, r *http.Request) error {
	body := map[string]any{"status": "ok", "version": minyi.Version, "database": s.Config.Dialect,
		"uptime_seconds": int(time.Since(s.Started).Seconds())}
	if err := s.Svc.Ping(r.Context()); err != nil {
		s.Failed(w, r, http.StatusServiceUnavailable, err)
		body["status"] = "database unavailable"
		core.WriteJSON(w, http.StatusServiceUnavailable, body)
		return nil
	}
	// The database answers but refuses writes (a full disk): degraded,
	// not ok, until a write succeeds again.
	if err := s.Svc.WriteFailure(); err != nil {
		s.Failed(w, r, http.StatusServiceUnavailable, err)
		body["status"] = "degraded"
		body["writes"] = minyi.ErrorMessage(err)
		core.WriteJSON(w, http.StatusServiceUnavailable, body)
		return nil
	}
	core.WriteJSON(w, http.StatusOK, body)
	return nil
}

// meta publishes the codes clients must send with their Chinese labels, so
// no client hard-codes them.
func (s *API) meta(w http.ResponseWriter, r *http.Request) error {
	actions := make([]string, 0)
	for _, a := range archive.Actions() {
		actions = append(actions, string(a))
	}
	outcomes, err := s.Svc.Matters.Outcomes(r.Context())
	if err != nil {
		return err
	}
	channels, err := s.Svc.Publicity.Channels(r.Context())
	if err != nil {
		return err
	}
	disputeKinds, err := s.Svc.Disputes.Kinds(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{
		"matter_outcomes": outcomes, "publicity_channels": channels, "dispute_kinds": disputeKinds,
		"kinds": archive.Kinds, "channels": archive.Channels, "classes": archive.Classes,
		"statuses": archive.Statuses, "satisfactions": archive.Satisfactions, "actions": actions,
		"photo_types": archive.PhotoTypes, "max_photos": archive.MaxPhotos, "max_photo_bytes": archive.MaxPhotoBytes,
		"max_text_chars": archive.MaxTextRunes,
	})
	return nil
}

func (s *API) metricsHandler(w http.ResponseWriter, r *http.Request) error {
	s.Metrics.Handler.ServeHTTP(w, r)
	return nil
}

func (s *API) open311OpenAPI(w http.ResponseWriter, r *http.Request) error {
	core.WriteJSON(w, http.StatusOK, s.o311.Document())
	return nil
}
