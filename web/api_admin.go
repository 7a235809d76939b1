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

func (s *Server) listUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := s.org.Units(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"units": units})
	return nil
}

func (s *Server) createUnit(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	var u org.Unit
	if err := decodeJSON(r, &u); err != nil {
		return err
	}
	u.ID = 0
	if err := s.org.AddUnit(r.Context(), admin, &u); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) listBranches(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireStaff(r); err != nil {
		return err
	}
	branches, err := s.org.Branches(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"branches": branches})
	return nil
}

func (s *Server) listCategories(w http.ResponseWriter, r *http.Request) error {
	cats, err := s.svc.Config.Categories(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"categories": cats})
	return nil
}

func (s *Server) createCategory(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	// A new category is in use unless the request says otherwise.
	c := archive.Category{Active: true}
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	c.ID = 0
	if err := s.svc.Config.AddCategory(r.Context(), admin, &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	users, err := s.org.Users(r.Context(), admin)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	var u org.User
	if err := decodeJSON(r, &u); err != nil {
		return err
	}
	u.ID, u.PasswordHash = 0, ""
	password, err := s.org.AddUser(r.Context(), admin, &u)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]any{"user": u, "initial_password": password})
	return nil
}

// calendarView is the calendar as the API shows it.
type calendarView struct {
	Years   []int            `json:"years"`
	Entries []calendar.Entry `json:"entries"`
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) error {
	c := s.svc.Config.Calendar()
	writeJSON(w, http.StatusOK, calendarView{Years: c.Years(), Entries: c.Entries()})
	return nil
}

// putCalendar adds or changes days, as JSON {"entries":[…]} or as the CSV
// format of cn-holidays.csv (Content-Type text/csv), and puts the new
// calendar in force for items filed from now on.
func (s *Server) putCalendar(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdmin(r)
	if err != nil {
		return err
	}
	var entries []calendar.Entry
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return tooLarge(s.config.MaxBodyBytes)
		}
		entries, err = calendar.ParseCSV(bytes.NewReader(body))
		if err != nil {
			return minyi.Invalid("body", "日历格式错误："+err.Error(), "calendar CSV: "+err.Error())
		}
	} else {
		var req struct {
			Entries []calendar.Entry `json:"entries"`
		}
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		entries = req.Entries
	}
	c, err := s.svc.Config.UpdateCalendar(r.Context(), admin, entries)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, calendarView{Years: c.Years(), Entries: c.Entries()})
	return nil
}
