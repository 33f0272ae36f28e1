package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// OpenAPI is the OpenAPI 3.1 document of the /v1 routes, generated from
// the Go request and response types the handlers decode and answer (so
// the document cannot drift from the code): path and query parameters
// from path:"…" and query:"…" tags, bodies from JSON tags, every error
// as ErrorBody with the status of the one kind → status table.
func (s *Server) OpenAPI() ([]byte, error) {
	ref := openapi31.NewReflector()
	ref.Spec.Info.WithTitle("Chorus API").WithVersion(apiVersion).
		WithDescription("The REST API of Chorus, on the same services as the CLI. " +
			"Authenticate with Authorization: Bearer TOKEN (chorus token create). " +
			"Errors are {\"error\":{\"kind\",\"message\"}}. POSTs that create take an Idempotency-Key header.")
	ref.SpecEns().SetHTTPBearerTokenSecurity("bearer", "", "API token from chorus token create")
	for _, rt := range s.api {
		oc, err := ref.NewOperationContext(rt.Method, rt.Path)
		if err != nil {
			return nil, err
		}
		oc.SetSummary(rt.Summary)
		oc.SetTags(rt.Tag)
		oc.SetID(operationID(rt))
		if rt.Action == "" {
			oc.SetDescription("Public: no token needed (one that is sent is checked).")
		} else {
			oc.SetDescription("Needs the action " + string(rt.Action) + ".")
			oc.AddSecurity("bearer")
		}
		if rt.Req != nil {
			oc.AddReqStructure(rt.Req)
		}
		if rt.Creates {
			oc.AddReqStructure(new(idempotencyHeader))
		}
		if rt.Status == http.StatusNoContent {
			oc.AddRespStructure(nil, openapi.WithHTTPStatus(rt.Status))
		} else {
			oc.AddRespStructure(rt.Resp, openapi.WithHTTPStatus(rt.Status))
		}
		if rt.stream != nil {
			oc.AddRespStructure(new(eventStreamDoc), openapi.WithHTTPStatus(rt.Status), openapi.WithContentType("text/event-stream"))
		}
		for _, st := range errorStatuses(rt) {
			oc.AddRespStructure(new(ErrorBody), openapi.WithHTTPStatus(st))
		}
		if err := ref.AddOperation(oc); err != nil {
			return nil, apperr.Wrap(err, apperr.Internal, "OpenAPI: %s %s", rt.Method, rt.Path)
		}
	}
	return json.MarshalIndent(ref.Spec, "", "  ")
}

// apiVersion is the version of the /v1 contract (not of the binary).
const apiVersion = "1.0.0"

// idempotencyHeader documents the header of creating routes.
type idempotencyHeader struct {
	Key string `header:"Idempotency-Key" description:"a unique key per request: a retry with the same key and body gets the first response; the same key with another body is 409" maxLength:"200"`
}

// errorStatuses are the error responses a route may give.
func errorStatuses(rt apiRoute) []int {
	out := []int{StatusOf(apperr.Invalid), StatusOf(apperr.NotFound), StatusOf(apperr.Unavailable), StatusOf(apperr.Internal)}
	out = append(out, StatusOf(apperr.Unauthenticated), StatusOf(apperr.Forbidden))
	if rt.perClient != nil {
		out = append(out, StatusOf(apperr.TooMany))
	}
	if rt.Method != http.MethodGet {
		out = append(out, StatusOf(apperr.TooLarge), StatusOf(apperr.Conflict))
	}
	return out
}

// operationID is e.g. "get_v1_customers_id_profile".
func operationID(rt apiRoute) string {
	r := strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_")
	return strings.ToLower(rt.Method) + r.Replace(rt.Path)
}

// openAPI serves the document (public: it describes the API, holds no
// data).
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	s.specOnce.Do(func() { s.spec, s.specErr = s.OpenAPI() }) // the routes are fixed after New
	b, err := s.spec, s.specErr
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}
