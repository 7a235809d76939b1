package api

import (
	"context"
	"net/http"

	"minyi"
	"minyi/org"
	"minyi/pubchannel"
	"minyi/publicity"
	"minyi/web/core"
	"minyi/web/openapi"
)

// The publicity ledger's doors (宣传报道台账): a list with filters and its
// total, create, read, and change with the version read.

// publicityRoutes are the routes of the publicity pieces.
func (s *API) publicityRoutes() []route {
	pieceID := []param{{"id", "path", "publicity piece id"}}
	return []route{
		{method: "GET", pattern: "/api/v1/publicity", handler: s.listPieces, auth: "staff", exports: true, summary: "List and search the publicity pieces (宣传报道) of the units the caller may see, latest first, with the total of all matches", response: "PublicityPage", status: 200,
			params: []param{{"q", "query", "full-text search, simplified or traditional Chinese"}, {"unit", "query", "unit code"},
				{"limit", "query", "1–100, default 20"}, {"cursor", "query", "next_cursor of the previous page"},
				{"channel", "query", "channel code, as GET /api/v1/meta's publicity_channels (mainstream_media, wechat, short_video, radio_tv, newspaper, website by default)"},
				{"branch", "query", "party branch code"},
				{"from", "query", "publication date on or after, YYYY-MM-DD"}, {"to", "query", "publication date on or before, YYYY-MM-DD"}, campaignFilter}},
		{method: "POST", pattern: "/api/v1/publicity", handler: s.createPiece, auth: "staff", summary: "Record a publicity piece (staff into their own unit, leaders and admins into any; partners never, 403)", request: "PublicityRequest", response: "PublicityPiece", status: 201},
		{method: "GET", pattern: "/api/v1/publicity/{id}", handler: s.getPiece, auth: "staff", summary: "One publicity piece", response: "PublicityPiece", status: 200, params: pieceID},
		{method: "PATCH", pattern: "/api/v1/publicity/{id}", handler: s.patchPiece, auth: "staff", summary: "Change a publicity piece: the fields sent change (400 without version, 409 on a stale version)", request: "PublicityChange", response: "PublicityPiece", status: 200, params: pieceID},
	}
}

var pieceRecords = records{BadID: "编号无效", Location: "/api/v1/publicity/"}

func (s *API) listPieces(w http.ResponseWriter, r *http.Request) error {
	return listRecords(s.Base, w, r, pieceRecords, core.PublicityExport, func(r *http.Request, p *minyi.Problems) publicity.Filter {
		q := r.URL.Query()
		return publicity.Filter{Filter: pageFilter(r, p), Unit: q.Get("unit"), Branch: q.Get("branch"),
			Channel: publicity.Channel(q.Get("channel")), From: q.Get("from"), To: q.Get("to"), Campaign: campaignParam(r, p)}
	}, s.Svc.Publicity.List)
}

func (s *API) createPiece(w http.ResponseWriter, r *http.Request) error {
	return createRecord(w, r, pieceRecords, s.Svc.Publicity.Create, func(p publicity.Piece) int64 { return p.ID })
}

func (s *API) getPiece(w http.ResponseWriter, r *http.Request) error {
	return getRecord(w, r, pieceRecords, s.Svc.Publicity.Get)
}

type pieceChange struct {
	version
	publicity.Patch
}

func (s *API) patchPiece(w http.ResponseWriter, r *http.Request) error {
	return changeRecord(w, r, pieceRecords, func(ctx context.Context, u org.User, id int64, req pieceChange) (publicity.Piece, error) {
		return s.Svc.Publicity.Update(ctx, u, id, req.read(), req.Patch)
	})
}

// publicitySchemas are the publicity pieces' request and answer schemas;
// the limits come from package publicity.
func publicitySchemas() map[string]any {
	day := map[string]any{"type": "string", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description": "YYYY-MM-DD, China time; not after today"}
	fields := map[string]any{
		"date": openapi.With(day, "description", "the day the piece was published, YYYY-MM-DD, China time; not after today"),
		"channel": map[string]any{"type": "string", "pattern": pubchannel.CodePattern,
			"description": "a channel code of GET /api/v1/meta's publicity_channels; a piece keeps a channel the bureau has since dropped"},
		"outlet": openapi.With(openapi.Text(publicity.MaxOutletRunes, true), "description", "the medium or account that carried it, e.g. 平安鄂托克"),
		"title":  openapi.Text(publicity.MaxTitleRunes, true),
		"link": map[string]any{"type": "string", "maxLength": publicity.MaxLinkRunes, "pattern": "^(https?://.+)?$",
			"description": "where the piece can be read: an http or https URL, or empty for print and broadcast"},
		"unit": code("unit code"), "branch": code("party branch code, of the unit"), "campaign": campaignRef,
		"matters": openapi.With(openapi.With(openapi.Arr(map[string]any{"type": "integer", "minimum": 1}), "maxItems", publicity.MaxMatters),
			"description", "ids of the practical matters the piece reports; each must exist and be visible to the caller"),
		"note": openapi.Text(publicity.MaxNoteRunes, false),
	}
	piece := openapi.Obj([]string{"id", "version", "date", "channel", "outlet", "title", "unit", "matters"}, withServerSet(fields))
	change := map[string]any{"version": map[string]any{"type": "integer", "minimum": 1, "description": "the version read; a stale one is 409"}}
	for k, v := range fields {
		change[k] = v
	}
	total := map[string]any{"type": "integer", "minimum": 0, "description": "how many records match, on every page"}
	return map[string]any{
		"PublicityPiece":   piece,
		"PublicityRequest": closed([]string{"date", "channel", "outlet", "title", "unit"}, fields),
		"PublicityChange":  closed([]string{"version"}, change),
		"PublicityPage":    openapi.Obj([]string{"items", "total"}, map[string]any{"items": openapi.Arr(piece), "next_cursor": openapi.Str, "total_capped": openapi.TotalCapped, "total": total}),
	}
}
