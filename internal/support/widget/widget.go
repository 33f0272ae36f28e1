// Package widget is the embeddable customer-service chat box: one
// vanilla JavaScript file and one CSS file, no build step, served by
// chorus serve (GET /support/widget.js, /support/widget.css; routes in
// internal/httpapi/routes.go). It speaks the SSE contract of support.Assistant.Answer's
// events: see the comment at the top of widget.js.
package widget

import (
	"embed"
	"io/fs"
)

//go:embed widget.js widget.css
var files embed.FS

// FS holds widget.js and widget.css.
func FS() fs.FS { return files }
