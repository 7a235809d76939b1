package archive

import (
	"fmt"
	"slices"
	"testing"

	"minyi"
)

func TestCheckPhotos(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	gif := []byte("GIF89a\x01\x00\x01\x00")
	big := append(append([]byte(nil), png...), make([]byte, MaxPhotoBytes)...)
	for _, tc := range []struct {
		name   string
		photos [][]byte
		max    int
		fields []string // the problems named, in order
	}{
		{"none", nil, 4, nil},
		{"png and gif", [][]byte{png, gif}, 4, nil},
		{"too many", [][]byte{png, png, png}, 2, []string{"photos"}},
		{"empty", [][]byte{png, {}}, 4, []string{"photos[1]"}},
		{"over 5 MB", [][]byte{big}, 4, []string{"photos[0]"}},
		{"text, whatever its name", [][]byte{[]byte("<svg onload=alert(1)>")}, 4, []string{"photos[0]"}},
		{"too many and one bad", [][]byte{png, []byte("%PDF-1.4")}, 1, []string{"photos", "photos[1]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := make([]Photo, len(tc.photos))
			for i, b := range tc.photos {
				in[i].Data = b
			}
			var p minyi.Problems
			out := CheckPhotos(&p, "photos", in, tc.max)
			var named []string
			for _, f := range p {
				named = append(named, f.Field)
			}
			if !slices.Equal(named, tc.fields) {
				t.Errorf("named %v, want %v", named, tc.fields)
			}
			if len(out) != len(in) {
				t.Fatalf("%d photos out of %d", len(out), len(in))
			}
			for i, ph := range out {
				if in[i].SHA256 != "" {
					t.Errorf("photo %d: the caller's photo was changed", i)
				}
				if len(ph.Data) > 0 && (len(ph.SHA256) != 64 || ph.Size != len(ph.Data)) {
					t.Errorf("photo %d not described: %+v", i, ph.PhotoInfo)
				}
			}
		})
	}
	// The sums the events record, in order.
	ps := DescribePhotos([]Photo{{Data: png}, {Data: gif}})
	if got, want := PhotoSums(ps), fmt.Sprintf("%s,%s", ps[0].SHA256, ps[1].SHA256); got != want || ps[1].ContentType != "image/gif" {
		t.Errorf("sums %q, want %q; %+v", got, want, ps[1].PhotoInfo)
	}
}
