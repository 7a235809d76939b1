package archive_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"minyi/archive"
)

// citizenFields decides, for every JSON field of the staff view of an item,
// whether its citizen may see it. A field added to archive.Item fails
// TestCitizenViewIsAnAllowList until it is decided here.
var citizenFields = map[string]bool{
	"number": true, "version": true, "kind": true, "channel": true, "category": true, "title": true,
	"text": true, "status": true, "unit": true, "contact": true, "publish": true, "received_at": true,
	"entered_at": true, "due_at": true, "responded_at": true, "answered_at": true, "closed_at": true, "satisfaction": true,
	"public_reply": true, "photos": true,

	"channel_detail": false, "class": false, "location": false, "calendar_gap": false, "on_time": false,
	"returns": false, "redos": false, "extensions": false, "supervisions": false,
	"pending_extension": false, "merged_into": false, "updated_at": false,
	"desk_title": false, "desk_text": false, "desk_answer": false, "assignee": false,
}

// citizenEventFields decides the same for the fields of a timeline event.
var citizenEventFields = map[string]bool{
	"type": true, "at": true, "from": true, "to": true, "body": true,
	"seq": false, "item": false, "actor": false, "public": false, "data": false, "prev_hash": false, "hash": false,
}

// fill sets every field of v to a value that is not its zero value and
// that names the field, so that a leaked value can be traced.
func fill(v reflect.Value, name string) {
	if !v.CanSet() {
		return // unexported: never marshalled
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("leak-" + name)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(7.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), name)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), name)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(reflect.ValueOf("k-"+name), reflect.ValueOf("leak-"+name))
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), name+"."+v.Type().Field(i).Name)
		}
	}
}

// jsonKeys returns the JSON object keys of v.
func jsonKeys(t *testing.T, v any) map[string]json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCitizenViewIsAnAllowList(t *testing.T) {
	var it archive.Item
	fill(reflect.ValueOf(&it).Elem(), "item")
	it.Status = archive.StatusAnswered
	var ev archive.Event
	fill(reflect.ValueOf(&ev).Elem(), "event")
	ev.Type = archive.EventAnswered

	tests := []struct {
		name     string
		staff    any
		citizen  any
		decided  map[string]bool
		extra    []string // citizen-only fields that are no copy of a staff field
		internal string   // a value that must not leak
	}{
		{"item", it, archive.ForCitizen(it), citizenFields, []string{"can_rate", "can_add", "can_withdraw"}, it.Pending.Reason},
		{"event", ev, archive.CitizenViewOf(it, []archive.Event{ev}).Events[0], citizenEventFields, nil, ev.Actor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			staff, citizen := jsonKeys(t, tt.staff), jsonKeys(t, tt.citizen)
			for key := range staff {
				allowed, decided := tt.decided[key]
				switch {
				case !decided:
					t.Errorf("staff field %q: decide whether the citizen may see it (citizenFields)", key)
				case allowed && citizen[key] == nil:
					t.Errorf("field %q is on the citizen's allow-list but not in the citizen view", key)
				case !allowed && citizen[key] != nil:
					t.Errorf("internal field %q is in the citizen view: %s", key, citizen[key])
				}
			}
			for key := range citizen {
				if _, ok := staff[key]; !ok && !strings.Contains(strings.Join(tt.extra, ","), key) {
					t.Errorf("citizen field %q is no field of the staff view", key)
				}
			}
			b, _ := json.Marshal(tt.citizen)
			if strings.Contains(string(b), tt.internal) {
				t.Errorf("the citizen view holds %q: %s", tt.internal, b)
			}
		})
	}
}
