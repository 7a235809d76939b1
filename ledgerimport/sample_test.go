package ledgerimport

import (
	"reflect"
	"testing"
)

// TestSampleMasksBeneficiary checks that the first rows a dry run shows
// on the import page mask a person's or household's name, phone and ID
// number as the preview of the same rows does, and name a village or
// group in full.
func TestSampleMasksBeneficiary(t *testing.T) {
	sp := specs[Matters]
	for _, c := range []struct {
		name string
		row  map[string]string
		want []string
	}{
		{"household", map[string]string{"title": "追回牛羊", "beneficiary.kind": "家庭", "beneficiary.name": "张三",
			"beneficiary.phone": "13812345678", "beneficiary.id_number": "150102199001011234"},
			[]string{"2", "追回牛羊", "家庭", "张*", "138****5678", "150102***********4"}},
		{"person by code", map[string]string{"title": "补办证件", "beneficiary.kind": "person", "beneficiary.name": "李四",
			"beneficiary.phone": "", "beneficiary.id_number": ""},
			[]string{"2", "补办证件", "person", "李*", "", ""}},
		{"unreadable kind taken as a person", map[string]string{"title": "助学", "beneficiary.kind": "学生", "beneficiary.name": "王五",
			"beneficiary.phone": "13812345678", "beneficiary.id_number": ""},
			[]string{"2", "助学", "学生", "王*", "138****5678", ""}},
		{"village named", map[string]string{"title": "修路", "beneficiary.kind": "村", "beneficiary.name": "东村",
			"beneficiary.phone": "0477-1234567", "beneficiary.id_number": ""},
			[]string{"2", "修路", "村", "东村", "0477-1234567", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			headers, got := sp.sample([]*row{{n: 2, cells: c.row, spec: sp}})
			wantHeaders := []string{"标题", "受益对象类型", "受益对象名称", "受益对象电话", "受益对象身份证号"}
			if !reflect.DeepEqual(headers, wantHeaders) {
				t.Errorf("headers %q, want %q", headers, wantHeaders)
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], c.want) {
				t.Errorf("sample %q, want %q", got, []any{c.want})
			}
		})
	}
}
