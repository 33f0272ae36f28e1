// Package httpapi is Chorus's one HTTP server over net/http: the public
// tracking routes (open pixel, click redirect, unsubscribe page and RFC
// 8058 one-click, delivery receipts) and, added by later streams, the REST
// API and the console. Every route is in routes.go. A handler parses the
// request, calls one domain service method and renders the answer; it
// returns an error, which one adapter (handle, over WriteError in
// error.go) renders with the status of its kind.
package httpapi
