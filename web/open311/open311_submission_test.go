package open311

import (
	"net/url"
	"slices"
	"testing"

	"minyi"
)

func TestO311ContactName(t *testing.T) {
	for _, c := range []struct{ first, last, want string }{
		{"小明", "王", "王小明"},
		{"Ming", "王", "王Ming"}, // one Chinese letter makes the name Chinese
		{"Xiaoming", "Wang", "Xiaoming Wang"},
		{"Xiaoming", "", "Xiaoming"},
		{"", "Wang", "Wang"},
		{"", "", ""},
	} {
		if got := o311ContactName(c.first, c.last); got != c.want {
			t.Errorf("o311ContactName(%q, %q) = %q, want %q", c.first, c.last, got, c.want)
		}
	}
}

func TestO311Address(t *testing.T) {
	for _, c := range []struct{ address, id, want string }{
		{"", "", ""},
		{"城关镇东街1号", "", "城关镇东街1号"},
		{"", "A-17", "A-17"},
		{"城关镇东街1号", "A-17", "城关镇东街1号（地址编号 A-17）"},
	} {
		if got := o311Address(c.address, c.id); got != c.want {
			t.Errorf("o311Address(%q, %q) = %q, want %q", c.address, c.id, got, c.want)
		}
	}
}

func TestO311Location(t *testing.T) {
	for _, c := range []struct {
		form     string
		problems []string // the fields named, in order
		coords   bool
		share    bool
		address  string
	}{
		{form: "lat=30.5&long=114.3", coords: true},
		{form: "address_string=东街&share_location=true", address: "东街", share: true},
		{form: "address_id=A-17&share_location=0", address: "A-17"},
		{form: "", problems: []string{"location"}},
		{form: "lat=30.5", problems: []string{"lat"}},
		{form: "long=114.3&address_string=东街", problems: []string{"lat"}, address: "东街"},
		{form: "lat=91&long=x", problems: []string{"lat", "long"}, coords: true},
		{form: "lat=NaN&long=-180", problems: []string{"lat"}, coords: true},
		{form: "address_string=东街&share_location=yes", problems: []string{"share_location"}, address: "东街"},
		{form: "share_location=maybe", problems: []string{"location", "share_location"}},
	} {
		form, err := url.ParseQuery(c.form)
		if err != nil {
			t.Fatal(err)
		}
		var p minyi.Problems
		loc := o311Location(&p, form.Get)
		var fields []string
		for _, f := range p {
			fields = append(fields, f.Field)
		}
		if !slices.Equal(fields, c.problems) {
			t.Errorf("%q: problems %v, want %v", c.form, fields, c.problems)
		}
		if (loc.Lat != nil) != c.coords || (loc.Lng != nil) != c.coords {
			t.Errorf("%q: coordinates %v %v, want them: %v", c.form, loc.Lat, loc.Lng, c.coords)
		}
		if loc.ShareLocation != c.share || loc.Address != c.address {
			t.Errorf("%q: share %v address %q, want %v %q", c.form, loc.ShareLocation, loc.Address, c.share, c.address)
		}
	}
}
