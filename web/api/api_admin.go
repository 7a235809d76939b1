package api

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/org"
	"minyi/web/core"
)

func (s *API) listUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := s.Org.Units(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"units": units})
	return nil
}

func (s *API) createUnit(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var u org.Unit
	if err := core.DecodeJSON(r, &u); err != nil {
		return err
	}
	u.ID = 0
	if err := s.Org.AddUnit(r.Context(), admin, &u); err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, u)
	return nil
}

func (s *API) updateUnit(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var u org.Unit
	if err := core.DecodeJSON(r, &u); err != nil {
		return err
	}
	if u.Code != r.PathValue("code") {
		return minyi.Invalid("code", "单位代码须与地址中的一致（代码不能修改）", "code must be the unit's code in the path (it never changes)")
	}
	if err := s.Org.UpdateUnit(r.Context(), admin, u); err != nil {
		return err
	}
	stored, err := s.Org.Unit(r.Context(), u.Code)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, stored)
	return nil
}

func (s *API) unitWorkload(w http.ResponseWriter, r *http.Request) error {
	u, err := core.RequireStaff(r)
	if err != nil {
		return err
	}
	workload, err := s.Items.Workload(r.Context(), u, r.PathValue("code"))
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"unit": r.PathValue("code"), "officers": workload})
	return nil
}

func (s *API) listBranches(w http.ResponseWriter, r *http.Request) error {
	if _, err := core.RequireStaff(r); err != nil {
		return err
	}
	branches, err := s.Org.Branches(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"branches": branches})
	return nil
}

func (s *API) listCategories(w http.ResponseWriter, r *http.Request) error {
	cats, err := s.Svc.Config.Categories(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"categories": cats})
	return nil
}

func (s *API) createCategory(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	// A new category is in use unless the request says otherwise.
	c := archive.Category{Active: true}
	if err := core.DecodeJSON(r, &c); err != nil {
		return err
	}
	c.ID = 0
	if err := s.Svc.Config.AddCategory(r.Context(), admin, &c); err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (s *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	users, err := s.Org.Users(r.Context(), admin)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, map[string]any{"users": users})
	return nil
}

func (s *API) createUser(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var u org.User
	if err := core.DecodeJSON(r, &u); err != nil {
		return err
	}
	u.ID, u.PasswordHash = 0, ""
	password, err := s.Org.AddUser(r.Context(), admin, &u)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	core.WriteJSON(w, http.StatusCreated, map[string]any{"user": u, "initial_password": password})
	return nil
}

// calendarView is the calendar as the API shows it.
type calendarView struct {
	Years   []int            `json:"years"`
	Entries []calendar.Entry `json:"entries"`
}

func (s *API) getCalendar(w http.ResponseWriter, r *http.Request) error {
	c := s.Svc.Config.Calendar()
	core.WriteJSON(w, http.StatusOK, calendarView{Years: c.Years(), Entries: c.Entries()})
	return nil
}

// putCalendar adds or changes days, as JSON {"entries":[…]} or as the CSV
// format of cn-holidays.csv (Content-Type text/csv), and puts the new
// calendar in force for items filed from now on.
func (s *API) putCalendar(w http.ResponseWriter, r *http.Request) error {
	admin, err := core.RequireAdmin(r)
	if err != nil {
		return err
	}
	var entries []calendar.Entry
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return core.TooLarge(s.Config.MaxBodyBytes)
		}
		entries, err = calendar.ParseCSV(bytes.NewReader(body))
		if err != nil {
			return minyi.Invalid("body", "日历格式错误："+err.Error(), "calendar CSV: "+err.Error())
		}
	} else {
		var req struct {
			Entries []calendar.Entry `json:"entries"`
		}
		if err := core.DecodeJSON(r, &req); err != nil {
			return err
		}
		entries = req.Entries
	}
	c, err := s.Svc.Config.UpdateCalendar(r.Context(), admin, entries)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, calendarView{Years: c.Years(), Entries: c.Entries()})
	return nil
}
