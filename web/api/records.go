package api

import (
	"context"
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/org"
	"minyi/register"
	"minyi/web/core"
)

// The doors every register's record API shares (docs/ARCHITECTURE.md,
// "Adding a register"): staff only; list, create, one record by its {id},
// and a change of it, each answered with JSON. A register declares its
// records and writes each door as one call, e.g.
//
//	func (s *API) getMatter(w http.ResponseWriter, r *http.Request) error {
//		return getRecord(w, r, matterRecords, s.Svc.Matters.Get)
//	}

// records is how a register's record API answers.
type records struct {
	// BadID is the Chinese of the refusal of a path {id} that is not a
	// positive number, e.g. 实事编号无效; its English is always "id must be
	// a positive number".
	BadID string
	// Location is the path of the records, to which POST adds the new
	// record's id in the Location header, e.g. /api/v1/matters/.
	Location string
}

// id reads the path's {id}, a record's positive number.
func (rs records) id(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, minyi.Invalid("id", rs.BadID, "id must be a positive number")
	}
	return id, nil
}

// write answers v with status. Every answer is a staff member's view of
// their units' records (names of staff, of beneficiaries, of places), so no
// cache may keep it: Cache-Control: private, no-store, as the items' lists.
func (rs records) write(w http.ResponseWriter, status int, v any) {
	core.NoStore(w)
	core.WriteJSON(w, status, v)
}

// listRecords answers GET of a register's list: the filter read reads from
// the query, adding what is wrong with it to p (pageFilter reads the
// shared parameters), and the page list returns for the caller; with
// format=csv or xlsx, every record the filter selects as a file of ex's
// columns (core.WriteList), through the same list.
func listRecords[F, T any](b *core.Base, w http.ResponseWriter, r *http.Request, rs records, ex core.Export[T],
	read func(r *http.Request, p *minyi.Problems) F, list func(context.Context, org.User, F) (register.Page[T], error)) error {
	return listRecordsWith(b, w, r, rs, ex, read, list, nil)
}

// listRecordsWith is listRecords whose JSON answer is what answer makes of
// the page (nil: the page itself): a page with the figure the list's page
// shows beside its total, such as the matters' outcome sum, so that an API
// client can check a report's figure as the page does. Files are the
// records alone.
func listRecordsWith[F, T any](b *core.Base, w http.ResponseWriter, r *http.Request, rs records, ex core.Export[T],
	read func(r *http.Request, p *minyi.Problems) F, list func(context.Context, org.User, F) (register.Page[T], error),
	answer func(context.Context, org.User, F, register.Page[T]) (any, error)) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	format, err := core.ExportFormat(r)
	if err != nil {
		return err
	}
	if _, err := core.RevealParam(r); err != nil {
		return err
	}
	filter := func(r *http.Request) (F, error) {
		var p minyi.Problems
		f := read(r, &p)
		return f, p.Err()
	}
	f, err := filter(r)
	if err != nil {
		return err
	}
	if format != "" {
		return core.WriteList(b, w, r, u, format, ex, filter, list)
	}
	page, err := list(r.Context(), u, f)
	if err != nil {
		return err
	}
	if answer == nil {
		rs.write(w, http.StatusOK, page)
		return nil
	}
	v, err := answer(r.Context(), u, f, page)
	if err != nil {
		return err
	}
	rs.write(w, http.StatusOK, v)
	return nil
}

// createRecord answers POST of a new record: the body decoded into a Req,
// create's record answered 201 with its Location (rs.Location and id's).
func createRecord[Req, T any](w http.ResponseWriter, r *http.Request, rs records, create func(context.Context, org.User, Req) (T, error),
	id func(T) int64) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	var req Req
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	rec, err := create(r.Context(), u, req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", rs.Location+strconv.FormatInt(id(rec), 10))
	rs.write(w, http.StatusCreated, rec)
	return nil
}

// getRecord answers with what get returns for the caller and the path's
// {id}: the record, or something of it (a matter's beneficiary).
func getRecord[T any](w http.ResponseWriter, r *http.Request, rs records, get func(context.Context, org.User, int64) (T, error)) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := rs.id(r)
	if err != nil {
		return err
	}
	rec, err := get(r.Context(), u, id)
	if err != nil {
		return err
	}
	rs.write(w, http.StatusOK, rec)
	return nil
}

// changeRecord answers a change of the record at the path's {id} (PATCH, an
// action): the body decoded into a Req, and the record change returns.
func changeRecord[Req, T any](w http.ResponseWriter, r *http.Request, rs records, change func(context.Context, org.User, int64, Req) (T, error)) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	id, err := rs.id(r)
	if err != nil {
		return err
	}
	var req Req
	if err := core.DecodeJSON(r, &req); err != nil {
		return err
	}
	rec, err := change(r.Context(), u, id, req)
	if err != nil {
		return err
	}
	rs.write(w, http.StatusOK, rec)
	return nil
}

// revealParam reads an export's reveal (core.RevealParam) into the
// filter's Reveal of the registers whose lists may show personal data in
// full, adding a bad one to p.
func revealParam(r *http.Request, p *minyi.Problems) string {
	reveal, err := core.RevealParam(r)
	p.Merge(err)
	return reveal
}

// pageFilter reads the list parameters every register shares: q, cursor,
// and limit, 1 to archive.MaxLimit, a bad one added to p in the words of
// the items' list.
func pageFilter(r *http.Request, p *minyi.Problems) register.Filter {
	q := r.URL.Query()
	f := register.Filter{Query: q.Get("q"), Cursor: q.Get("cursor")}
	n, ok := core.PageLimit(q, archive.MaxLimit)
	if !ok {
		p.Add("limit", "每页条数应为1–100", "limit must be 1–100")
	}
	f.Limit = n
	return f
}
