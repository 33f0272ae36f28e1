// Package web is the marketer's console: server-rendered html/template
// pages, a zh/en message catalogue, a vendored htmx 2.x (static/, BSD-0,
// see static/htmx.LICENSE) and our own CSS, all embedded in the binary.
// There is no Node build and no CDN.
//
// The server glue is in internal/httpapi: console.go signs users in
// (cookie chorus_session), checks every POST's CSRF token (the hidden
// field "csrf", or the X-CSRF-Token header htmx sends from hx-headers on
// <body>), checks the role's right to the route's action
// (auth.Principal.Can) and sets the security headers (a CSP without
// inline scripts, X-Frame-Options DENY). Routes are a block in
// internal/httpapi/routes.go, the server's one routes file.
//
// # Adding a page
//
//  1. A template templates/NAME.html that defines "content" (and any
//     fragment htmx swaps, e.g. "count"). Its dot is a Page: .Frame (the
//     layout's data: Lang, User, Role, CSRF) and .View (your view model).
//     Every form carries {{template "_csrf" $.Frame}}. Text comes from
//     the catalogue: {{t "key"}} or {{t "key" arg}} (a fmt format).
//     Name it PAGE_SOMETHING (customers_profile) to light up PAGE's menu
//     entry; the menu is Navigation in web.go.
//  2. Its messages in messages/AREA.json, {"key": {"en": "…", "zh": "…"}}:
//     one file per area, both languages required (New fails otherwise,
//     and TestTemplateKeys fails for a {{t}} key that is missing).
//  3. A handler, a PageFunc: func(w http.ResponseWriter, r *http.Request)
//     error. It parses the request, calls one service of internal/app
//     (the CLI's own), builds a view model (never a store row) and calls
//     c.Render(w, r, "NAME", "nav.NAME", view), or c.Fragment(w, r,
//     "NAME", "count", view) for an htmx swap. It returns errors: an
//     apperr's kind picks the status (httpapi/error.go's table) and its
//     message is shown; an internal error's message stays in the log.
//  4. Its route in internal/httpapi/routes.go, in consoleRoutes:
//     mux.Handle("GET /things", s.page(auth.Read, c.Things)); a POST
//     names the action it needs (auth.WriteSegment, ...). A route shown
//     in the console's own iframe (the email preview) uses s.framePage.
//  5. A test through httptest (see httpapi's console tests): 200 for a
//     role allowed, 403 for one that is not, names holding <script>
//     rendered inert, a POST without the token rejected.
//
// html/template escapes by context; never build HTML by concatenation
// and never mark text template.HTML unless it was escaped by us (the
// compliance highlighter and the SVG charts do that, and say so).
package web
