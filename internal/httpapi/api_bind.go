package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// bind fills dst (a pointer to a struct) from the request: fields tagged
// path:"name" from the route's wildcards, query:"name" from the query
// string, and the rest from the JSON body. The same tags generate the
// OpenAPI document, so what is documented is what is read. Errors are
// apperr.Invalid and name the JSON field or parameter, never a Go type.
func bind(r *http.Request, body []byte, dst any) error {
	v := reflect.ValueOf(dst).Elem()
	t := v.Type()
	// The body is decoded first and the path and query after it, so that
	// a body can never overwrite a value the URL names (a JSON key such as
	// "ID" matches an untagged path field case-insensitively).
	if err := bindBody(t, body, dst); err != nil {
		return err
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if name := f.Tag.Get("path"); name != "" {
			if err := setParam(v.Field(i), r.PathValue(name), "path parameter "+name); err != nil {
				return err
			}
			continue
		}
		if name := f.Tag.Get("query"); name != "" {
			if raw, ok := r.URL.Query()[name]; ok && len(raw) > 0 {
				if err := setParam(v.Field(i), raw[0], "query parameter "+name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// bindBody decodes the JSON body into dst when dst has JSON fields.
func bindBody(t reflect.Type, body []byte, dst any) error {
	hasJSON := false
	for i := 0; i < t.NumField() && !hasJSON; i++ {
		f := t.Field(i)
		if f.Tag.Get("path") != "" || f.Tag.Get("query") != "" {
			continue
		}
		if j := f.Tag.Get("json"); j != "" && j != "-" {
			hasJSON = true
		}
	}
	if !hasJSON {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.Invalid, "the request needs a JSON body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "the request body holds more than one JSON value")
	}
	return nil
}

// setParam parses a path or query value into a string, integer or bool
// field.
func setParam(f reflect.Value, s, what string) error {
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if err := setParam(p.Elem(), s, what); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(s)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return apperr.New(apperr.Invalid, "%s %q: want a whole number", what, s)
		}
		f.SetInt(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return apperr.New(apperr.Invalid, "%s %q: want a number", what, s)
		}
		f.SetFloat(x)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return apperr.New(apperr.Invalid, "%s %q: want true or false", what, s)
		}
		f.SetBool(b)
	default:
		return apperr.New(apperr.Internal, "%s: unsupported parameter type", what)
	}
	return nil
}

// jsonError says what is wrong with a JSON body in the client's terms:
// the field and the JSON type wanted, or where the syntax breaks.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.New(apperr.Invalid, "the request body is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		return apperr.New(apperr.Invalid, "%s: want %s, got a JSON %s", field, jsonKind(typ.Type), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "the request body ends before its JSON value does")
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return apperr.New(apperr.Invalid, "unknown field %s in the request body", strings.TrimPrefix(msg, "json: unknown field "))
	}
	var ae *apperr.Error
	if errors.As(err, &ae) { // a type's own UnmarshalJSON (a duration, a time)
		return err
	}
	return apperr.New(apperr.Invalid, "the request body does not match the expected JSON")
}

// jsonKind names a Go type as the JSON a client should send.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		if t.String() == "time.Time" {
			return "an RFC 3339 time"
		}
		return "an object"
	}
	return "another value"
}
