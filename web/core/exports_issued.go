package core

import (
	"minyi/report"
	"minyi/xlsx"
)

// IssuedExport is the issued reports' list (签发的报告): each one's scope,
// the template and the log's position it was issued at, by whom, when.
var IssuedExport = Export[report.Issued]{Title: "签发的报告", File: "issued-reports",
	Columns: []xlsx.Column{num("编号"), col("类型"), day("开始日期"), day("结束日期"), col("单位"), col("活动"), col("标题"),
		num("模板版本"), num("日志位置"), col("签发人"), moment("签发时间")},
	Row: func(n Names, r report.Issued) []any {
		return []any{r.ID, n.Label("report_kind.", r.Kind), Day(r.From), Day(r.To), r.UnitName, r.CampaignName, r.Title,
			r.TemplateVersion, r.LogSeq, r.IssuedBy, Moment(r.IssuedAt)}
	}}
