package matter

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/archive"
	"minyi/calendar"
	"minyi/eventlog"
	"minyi/register"
)

// Patch changes the fields it holds (non-nil) of a matter; Version is the
// version the writer read, required.
type Patch struct {
	Version            *int              `json:"version"`
	Title              *string           `json:"title,omitempty"`
	Description        *string           `json:"description,omitempty"`
	Branch             *string           `json:"branch,omitempty"`
	Lead               *string           `json:"lead,omitempty"`
	Participants       *[]string         `json:"participants,omitempty"`
	Beneficiary        *BeneficiaryPatch `json:"beneficiary,omitempty"`
	Class              *archive.Class    `json:"class,omitempty"`
	Items              *[]string         `json:"items,omitempty"`
	DueDays            *int              `json:"due_days,omitempty"`
	Published          *bool             `json:"published,omitempty"`
	BeneficiaryConsent *bool             `json:"beneficiary_consent,omitempty"`
	// Campaign moves the matter into a campaign; 0 takes it out of one.
	Campaign *int64 `json:"campaign,omitempty"`
}

// BeneficiaryPatch changes the beneficiary's fields it holds (non-nil): the
// others stay, so an edit need not resend the personal data every answer
// masks.
type BeneficiaryPatch struct {
	Kind     *BeneficiaryKind `json:"kind,omitempty"`
	Name     *string          `json:"name,omitempty"`
	Phone    *string          `json:"phone,omitempty"`
	IDNumber *string          `json:"id_number,omitempty"`
	Place    *string          `json:"place,omitempty"`
}

// over returns b with bp's fields set.
func (bp BeneficiaryPatch) over(b Beneficiary) Beneficiary {
	for _, f := range []struct {
		from *string
		to   *string
	}{{bp.Name, &b.Name}, {bp.Phone, &b.Phone}, {bp.IDNumber, &b.IDNumber}, {bp.Place, &b.Place}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if bp.Kind != nil {
		b.Kind = *bp.Kind
	}
	return b
}

// patchOf is the beneficiary patch setting every field of b.
func patchOf(b Beneficiary) *BeneficiaryPatch {
	return &BeneficiaryPatch{Kind: &b.Kind, Name: &b.Name, Phone: &b.Phone, IDNumber: &b.IDNumber, Place: &b.Place}
}

// check refuses personal data holding the mask's "*": a masked value read
// from an answer and sent back, which would overwrite the real one.
func (bp BeneficiaryPatch) check(p *minyi.Problems) {
	for _, f := range []struct {
		field, zh string
		value     *string
	}{{"beneficiary.name", "受益对象名称", bp.Name}, {"beneficiary.phone", "受益对象电话号码", bp.Phone}, {"beneficiary.id_number", "受益对象身份证号码", bp.IDNumber}} {
		if f.value != nil && strings.Contains(*f.value, "*") {
			p.Add(f.field, f.zh+"含有“*”，是脱敏后的值：请填写完整信息，或不提交此项",
				f.field+" contains \"*\", a masked value: send the real one or leave it out")
		}
	}
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
		b := p.Beneficiary.over(m.Beneficiary)
		set("beneficiary", b != m.Beneficiary, func() { m.Beneficiary = b })
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
	if p.Campaign != nil {
		set("campaign", *p.Campaign != m.Campaign, func() { m.Campaign = *p.Campaign })
	}
	return m, changed
}

// whole is the patch setting every field of m, so that Over finds what
// differs between m and another matter.
func whole(m Matter) Patch {
	return Patch{Version: &m.Version, Title: &m.Title, Description: &m.Description, Branch: &m.Branch,
		Lead: &m.Lead, Participants: &m.Participants, Beneficiary: patchOf(m.Beneficiary), Class: &m.Class,
		Items: &m.Items, DueDays: &m.DueDays, Published: &m.Published, BeneficiaryConsent: &m.BeneficiaryConsent,
		Campaign: &m.Campaign}
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
		case "campaign":
			data[f] = strconv.FormatInt(m.Campaign, 10)
		}
	}
	body := ""
	if slices.Contains(changed, "description") {
		body = m.Description
	}
	return eventlog.Event{Register: Register, RecordID: m.ID, Record: m.record(), Type: EventEdited,
		Actor: actor, At: at, From: string(m.Status), To: string(m.Status), Body: body, Data: data}
}

// editedFrom is Edited, with the new due time when it moved from old's.
func (m Matter) editedFrom(old Matter, changed []string, actor string, at time.Time) eventlog.Event {
	ev := m.Edited(changed, actor, at)
	if !m.DueAt.Equal(old.DueAt) {
		ev.Data["due_at"] = m.DueAt.In(calendar.Zone).Format(time.RFC3339)
	}
	return ev
}

// check refuses a patch without the version it was written against, or
// sending back a masked beneficiary.
func (p Patch) check() error {
	if p.Version == nil {
		return register.MissingVersion()
	}
	var probs minyi.Problems
	if p.Beneficiary != nil {
		p.Beneficiary.check(&probs)
	}
	return probs.Err()
}

// closedEditable are the fields an edit may still change once a matter is
// done or dropped: whether it is published, and the beneficiary's consent
// to it. Anything else would rewrite figures already reported (on_time,
// done_<class>).
var closedEditable = []string{"published", "beneficiary_consent"}

// editLegal refuses an edit of old changing fields (changed) that its
// state no longer lets change.
func editLegal(old Matter, changed []string) error {
	if !old.Status.Terminal() {
		return nil
	}
	for _, f := range changed {
		if !slices.Contains(closedEditable, f) {
			return minyi.Errorf(minyi.EIllegal, "%s的实事只能修改是否公开和受益对象同意，不能修改%s / a %s matter can change only published and beneficiary_consent, not %s",
				old.Status.Label(), f, old.Status, f)
		}
	}
	return nil
}
