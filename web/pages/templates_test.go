package pages

import (
	"html/template"
	"testing"
)

func TestCurrentSection(t *testing.T) {
	tests := []struct {
		name, path string
		patterns   []string
		want       template.HTMLAttr
	}{
		{"the section's page", "/staff/matters", []string{"/staff/matters/"}, ` aria-current="page"`},
		{"its page with a query", "/staff/matters?q=路灯", []string{"/staff/matters/"}, ` aria-current="page"`},
		{"a page under it", "/staff/matters/12", []string{"/staff/matters/"}, ` aria-current="true"`},
		{"another section", "/staff/measures", []string{"/staff/matters/"}, ""},
		{"a name that only begins alike", "/staff/matters-old", []string{"/staff/matters/"}, ""},
		{"an exact pattern", "/staff", []string{"/staff", "/staff/items/"}, ` aria-current="page"`},
		{"an exact pattern does not cover what is under it", "/staff/matters", []string{"/staff"}, ""},
		{"the second pattern", "/staff/items/2021-000001", []string{"/staff", "/staff/items/"}, ` aria-current="true"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := currentSection(tt.path, tt.patterns...); got != tt.want {
				t.Errorf("currentSection(%q, %q) = %q, want %q", tt.path, tt.patterns, got, tt.want)
			}
		})
	}
}
