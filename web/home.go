package web

import (
	"html/template"
	"net/http"
)

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Agency}} · 民意</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>{{.Agency}}</h1>
<p>民意（minyi）：群众意见收集、办理、答复、回访与销号管理。</p>
<h2>接口 API</h2>
<ul>
<li><a href="/api/v1/openapi.json">OpenAPI 说明 /api/v1/openapi.json</a></li>
<li><a href="/api/v1/categories">分类 /api/v1/categories</a></li>
<li><a href="/api/v1/units">单位 /api/v1/units</a></li>
<li><a href="/api/v1/meta">代码表 /api/v1/meta</a></li>
<li><a href="/healthz">运行状态 /healthz</a></li>
</ul>
<p>群众留言：<code>POST /api/v1/items</code>；查询进度：<code>GET /api/v1/items/{件号}?access_code=…</code></p>
</body></html>`))

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	homePage.Execute(w, map[string]string{"Agency": s.config.AgencyName})
}
