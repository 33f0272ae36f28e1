package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/chorusmkt/chorus/internal/auth"
)

//go:embed messages/*.json
var messageFS embed.FS

// The console's languages; the first is the default.
const (
	En = "en"
	Zh = "zh"
)

// Langs are the console's languages.
var Langs = []string{En, Zh}

// LangCookie holds the language a visitor chose with the switcher; it
// wins over the user's own setting (auth.Principal.Lang) and the
// browser's Accept-Language.
const LangCookie = "chorus_lang"

// catalogue is key → language → message. Messages are fmt formats when
// the template passes arguments ({{t "customers.found" .N}}).
type catalogue map[string]map[string]string

// loadCatalogue reads every messages/*.json ({"key": {"en": "…", "zh":
// "…"}}; one file per area, so that streams add theirs without
// conflicts). A key defined twice, or without both languages, is an
// error.
func loadCatalogue() (catalogue, error) {
	files, err := fs.Glob(messageFS, "messages/*.json")
	if err != nil {
		return nil, err
	}
	cat := catalogue{}
	for _, f := range files {
		b, err := messageFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m catalogue
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: %s: %w", f, err)
		}
		for k, v := range m {
			if _, dup := cat[k]; dup {
				return nil, fmt.Errorf("web: %s: message %q is defined twice", f, k)
			}
			for _, l := range Langs {
				if strings.TrimSpace(v[l]) == "" {
					return nil, fmt.Errorf("web: %s: message %q has no %s text", f, k, l)
				}
			}
			cat[k] = v
		}
	}
	return cat, nil
}

// T is the message key in lang, formatted with args; an unknown key is
// shown as itself (and fails TestTemplateKeys).
func (c *Console) T(lang, key string, args ...any) string {
	m, ok := c.cat[key][lang]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// Lang is the request's console language: the switcher's cookie, then
// the signed-in user's language, then the browser's Accept-Language,
// then English.
func (c *Console) Lang(r *http.Request) string {
	if ck, err := r.Cookie(LangCookie); err == nil && slices.Contains(Langs, ck.Value) {
		return ck.Value
	}
	if p, ok := auth.PrincipalFrom(r.Context()); ok && slices.Contains(Langs, p.Lang) {
		return p.Lang
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return Zh
		case strings.HasPrefix(tag, "en"):
			return En
		}
	}
	return En
}

// funcs are the template functions, with t bound to lang.
func (c *Console) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) string { return c.T(lang, key, args...) },
		// asset is a static file's URL with its content hash, which
		// lets the browser cache it for a year.
		"asset": func(name string) string { return "/static/" + name + "?v=" + c.assets[name] },
		"lang":  func() string { return lang },
		"minus": func(d, n int) int { return n - d },
		"half":  func(n int) int { return n / 2 },
		"pct":   func(x float64) float64 { return x * 100 },
		// pathEscape makes an id one path segment (/customers/{id}).
		"pathEscape": url.PathEscape,
	}
}
