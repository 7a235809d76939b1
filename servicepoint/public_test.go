package servicepoint

import (
	"encoding/json"
	"testing"
	"time"
)

// publicFields decides, for every JSON field of a point, whether the
// public page may show it. A field added to Point fails
// TestPublicPointIsAnAllowList until it is decided here.
var publicFields = map[string]bool{
	"id": true, "name": true, "unit": true, "township": true, "village": true, "address": true, "latitude": true,
	"longitude": true, "opening_hours": true, "off_peak": true, "extended_hours": true, "services": true, "phone": true,

	"status": false, "created_by": false, "created_at": false, "updated_at": false, "version": false,
	"opened_on": false, "closed_on": false,
}

func TestPublicPointIsAnAllowList(t *testing.T) {
	lat, lng := 39.1, 107.9
	p := Point{ID: 3, Name: "蒙西镇便民服务站", Unit: "a", Township: "蒙西镇", Village: "东村", Address: "蒙西镇政府院内",
		Lat: &lat, Lng: &lng, OpeningHours: "周一至周日 8:00-20:00", OffPeak: true, Extended: true, Services: []string{"户籍"},
		Phone: "0477-6211234", Status: StatusActive, CreatedBy: "li.officer", CreatedAt: time.Now(), UpdatedAt: time.Now(), Version: 4}
	var staff, public map[string]json.RawMessage
	b, _ := json.Marshal(p)
	json.Unmarshal(b, &staff)
	b, _ = json.Marshal(p.Public())
	json.Unmarshal(b, &public)
	for key := range staff {
		shown, decided := publicFields[key]
		switch {
		case !decided:
			t.Errorf("field %q of Point: decide whether the public page may show it (publicFields)", key)
		case shown && public[key] == nil:
			t.Errorf("field %q is on the allow-list but not in the public point", key)
		case !shown && public[key] != nil:
			t.Errorf("internal field %q is in the public point: %s", key, public[key])
		}
	}
}
