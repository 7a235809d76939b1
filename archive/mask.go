package archive

import "unicode/utf8"

// MaskContact hides a citizen's personal data from readers without need to
// know: the family name stays, the phone keeps its first three and last four
// digits, the ID number its region code and check digit.
func MaskContact(c Contact) Contact {
	if c.Name != "" {
		r, _ := utf8.DecodeRuneInString(c.Name)
		c.Name = string(r) + "*"
	}
	c.Phone = maskMiddle(c.Phone, 3, 4)
	c.IDNumber = maskMiddle(c.IDNumber, 6, 1)
	return c
}

func maskMiddle(s string, head, tail int) string {
	if len(s) <= head+tail {
		if s == "" {
			return ""
		}
		return "****"
	}
	b := []byte(s)
	for i := head; i < len(b)-tail; i++ {
		b[i] = '*'
	}
	return string(b)
}
