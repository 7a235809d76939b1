package register

import (
	"strings"

	"minyi"
	"minyi/org"
)

// Names cleans a list of user names or tracking numbers: trimmed, empty
// ones and repeats dropped, order kept; never nil.
func Names(list []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// CheckBranch adds a problem naming the field branch when branch is not
// one of branches, or is another unit's than unit: a record is attributed
// to a party branch of its own unit.
func CheckBranch(p *minyi.Problems, branches []org.Branch, branch, unit string) {
	for _, b := range branches {
		if b.Code == branch {
			if b.UnitCode != unit {
				p.Add("branch", "党支部不属于该单位", "branch belongs to another unit")
			}
			return
		}
	}
	p.Add("branch", "党支部不存在", "branch: unknown party branch")
}
