package matter

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi/archive"
	"minyi/eventlog"
	"minyi/register"
)

// Patch changes the fields it holds (non-nil) of a matter; Version is the
// version the writer read, required.
type Patch struct {
	Version            *int           `json:"version"`
	Title              *string        `json:"title,omitempty"`
	Description        *string        `json:"description,omitempty"`
	Branch             *string        `json:"branch,omitempty"`
	Lead               *string        `json:"lead,omitempty"`
	Participants       *[]string      `json:"participants,omitempty"`
	Beneficiary        *Beneficiary   `json:"beneficiary,omitempty"`
	Class              *archive.Class `json:"class,omitempty"`
	Items              *[]string      `json:"items,omitempty"`
	DueDays            *int           `json:"due_days,omitempty"`
	Published          *bool          `json:"published,omitempty"`
	BeneficiaryConsent *bool          `json:"beneficiary_consent,omitempty"`
}

// Over returns m with p's fields set, and the names of the fields that
// changed.
func (p Patch) Over(m Matter) (Matter, []string) {
	var changed []string
	set := func(name string, differs bool, apply func()) {
		if differs {
			apply()
			changed = append(changed, name)
		}
	}
	if p.Title != nil {
		set("title", *p.Title != m.Title, func() { m.Title = *p.Title })
	}
	if p.Description != nil {
		set("description", *p.Description != m.Description, func() { m.Description = *p.Description })
	}
	if p.Branch != nil {
		set("branch", *p.Branch != m.Branch, func() { m.Branch = *p.Branch })
	}
	if p.Lead != nil {
		set("lead", *p.Lead != m.Lead, func() { m.Lead = *p.Lead })
	}
	if p.Participants != nil {
		set("participants", !slices.Equal(*p.Participants, m.Participants), func() { m.Participants = *p.Participants })
	}
	if p.Beneficiary != nil {
		set("beneficiary", *p.Beneficiary != m.Beneficiary, func() { m.Beneficiary = *p.Beneficiary })
	}
	if p.Class != nil {
		set("class", *p.Class != m.Class, func() { m.Class = *p.Class })
	}
	if p.Items != nil {
		set("items", !slices.Equal(*p.Items, m.Items), func() { m.Items = *p.Items })
	}
	if p.DueDays != nil {
		set("due_days", *p.DueDays != m.DueDays, func() { m.DueDays = *p.DueDays })
	}
	if p.Published != nil {
		set("published", *p.Published != m.Published, func() { m.Published = *p.Published })
	}
	if p.BeneficiaryConsent != nil {
		set("beneficiary_consent", *p.BeneficiaryConsent != m.BeneficiaryConsent, func() { m.BeneficiaryConsent = *p.BeneficiaryConsent })
	}
	return m, changed
}

// whole is the patch setting every field of m, so that Over finds what
// differs between m and another matter.
func whole(m Matter) Patch {
	return Patch{Version: &m.Version, Title: &m.Title, Description: &m.Description, Branch: &m.Branch,
		Lead: &m.Lead, Participants: &m.Participants, Beneficiary: &m.Beneficiary, Class: &m.Class,
		Items: &m.Items, DueDays: &m.DueDays, Published: &m.Published, BeneficiaryConsent: &m.BeneficiaryConsent}
}

// Edited returns the log's event of an edit of m (after the edit) by actor:
// the changed fields and their new values, but never the beneficiary's
// personal data, which the log keeps out of every reader's sight.
func (m Matter) Edited(changed []string, actor string, at time.Time) eventlog.Event {
	data := map[string]string{"fields": strings.Join(changed, ",")}
	for _, f := range changed {
		switch f {
		case "title":
			data[f] = m.Title
		case "branch":
			data[f] = m.Branch
		case "lead":
			data[f] = m.Lead
		case "participants":
			data[f] = strings.Join(m.Participants, ",")
		case "class":
			data[f] = string(m.Class)
		case "items":
			data[f] = strings.Join(m.Items, ",")
		case "due_days":
			data[f] = strconv.Itoa(m.DueDays)
		case "published":
			data[f] = strconv.FormatBool(m.Published)
		case "beneficiary_consent":
			data[f] = strconv.FormatBool(m.BeneficiaryConsent)
		case "beneficiary":
			data["beneficiary_kind"] = string(m.Beneficiary.Kind)
		}
	}
	body := ""
	if slices.Contains(changed, "description") {
		body = m.Description
	}
	return eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Type: EventEdited,
		Actor: actor, At: at, From: string(m.Status), To: string(m.Status), Body: body, Data: data}
}

// checkVersion refuses a patch without the version it was written against.
func (p Patch) checkVersion() error {
	if p.Version == nil {
		return register.MissingVersion()
	}
	return nil
}
