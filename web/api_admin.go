package web

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
)

func (s *Server) listUnits(w http.ResponseWriter, r *http.Request) {
	units, err := s.store.Units(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"units": units})
}

func (s *Server) createUnit(w http.ResponseWriter, r *http.Request) {
	if _, err := requireAdmin(r); err != nil {
		s.error(w, r, err)
		return
	}
	var u org.Unit
	if err := decodeJSON(r, &u); err != nil {
		s.error(w, r, err)
		return
	}
	u.ID = 0
	if err := org.AddUnit(r.Context(), s.store, &u); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

func (s *Server) listBranches(w http.ResponseWriter, r *http.Request) {
	if _, err := requireStaff(r); err != nil {
		s.error(w, r, err)
		return
	}
	branches, err := s.store.Branches(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"branches": branches})
}

func (s *Server) listCategories(w http.ResponseWriter, r *http.Request) {
	cats, err := s.store.Categories(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"categories": cats})
}

func (s *Server) createCategory(w http.ResponseWriter, r *http.Request) {
	if _, err := requireAdmin(r); err != nil {
		s.error(w, r, err)
		return
	}
	// A new category is in use unless the request says otherwise.
	c := archive.Category{Active: true}
	if err := decodeJSON(r, &c); err != nil {
		s.error(w, r, err)
		return
	}
	c.ID = 0
	if err := archive.AddCategory(r.Context(), categoryStore{s.store}, &c); err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// categoryStore adapts the web store to archive.CategoryStore.
type categoryStore struct{ Store }

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	if _, err := requireAdmin(r); err != nil {
		s.error(w, r, err)
		return
	}
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	if _, err := requireAdmin(r); err != nil {
		s.error(w, r, err)
		return
	}
	var u org.User
	if err := decodeJSON(r, &u); err != nil {
		s.error(w, r, err)
		return
	}
	u.ID, u.PasswordHash = 0, ""
	password, err := org.AddUser(r.Context(), s.store, &u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]any{"user": u, "initial_password": password})
}

// calendarView is the calendar as the API shows it.
type calendarView struct {
	Years   []int            `json:"years"`
	Entries []calendar.Entry `json:"entries"`
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) {
	c := s.items.Policy().Calendar
	writeJSON(w, http.StatusOK, calendarView{Years: c.Years(), Entries: c.Entries()})
}

// putCalendar adds or changes days, as JSON {"entries":[…]} or as the CSV
// format of cn-holidays.csv (Content-Type text/csv), and puts the new
// calendar in force for items filed from now on.
func (s *Server) putCalendar(w http.ResponseWriter, r *http.Request) {
	if _, err := requireAdmin(r); err != nil {
		s.error(w, r, err)
		return
	}
	var entries []calendar.Entry
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			s.error(w, r, tooLarge(s.config.MaxBodyBytes))
			return
		}
		entries, err = calendar.ParseCSV(bytes.NewReader(body))
		if err != nil {
			s.error(w, r, minyi.Invalid("body", "日历格式错误："+err.Error(), "calendar CSV: "+err.Error()))
			return
		}
	} else {
		var req struct {
			Entries []calendar.Entry `json:"entries"`
		}
		if err := decodeJSON(r, &req); err != nil {
			s.error(w, r, err)
			return
		}
		entries = req.Entries
	}
	c, err := archive.UpdateCalendar(r.Context(), s.items, calendarStore{s.store}, entries)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, calendarView{Years: c.Years(), Entries: c.Entries()})
}

type calendarStore struct{ Store }
