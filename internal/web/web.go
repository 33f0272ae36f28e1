package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/auth"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// PageFunc is a console page's handler: it renders its answer (through
// Console.Render) and returns an error for the server's page adapter to
// show as the error page with the status of the error's kind.
type PageFunc func(w http.ResponseWriter, r *http.Request) error

// Console is the console's templates, message catalogue and static
// assets. It is built once (New) and safe for concurrent use.
type Console struct {
	// pages[lang][page] is the page's template set: the layout, the
	// shared partials and the page's own file, with t bound to lang.
	pages  map[string]map[string]*template.Template
	cat    catalogue
	assets map[string]string // file name → content hash (cache busting)
	static http.Handler
	deps   Deps
}

// Deps are the services the pages call: the application's (the CLI's
// own) and the audit log.
type Deps struct {
	App   *app.App
	Audit Auditor
}

// Auditor records who changed what (auth.Service.Record).
type Auditor interface {
	Record(ctx context.Context, e auth.Entry) error
}

// New parses every template of templates/ (layout.html and the
// partials named _*.html are shared; every other file is a page named
// by its base name) once per language. Errors are a template that does
// not parse, a catalogue file that is not valid, or a key missing in one
// language: all caught by the package's tests, never at a user's click.
func New(deps Deps) (*Console, error) {
	cat, err := loadCatalogue()
	if err != nil {
		return nil, err
	}
	c := &Console{deps: deps, cat: cat, pages: map[string]map[string]*template.Template{}, assets: map[string]string{}}
	if err := c.hashAssets(); err != nil {
		return nil, err
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static: %w", err)
	}
	c.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	var shared, pages []string
	for _, f := range files {
		b := path.Base(f)
		if b == "layout.html" || strings.HasPrefix(b, "_") {
			shared = append(shared, f)
		} else {
			pages = append(pages, f)
		}
	}
	for _, lang := range Langs {
		base, err := template.New("layout.html").Funcs(c.funcs(lang)).ParseFS(templateFS, shared...)
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		set := map[string]*template.Template{}
		for _, p := range pages {
			t, err := template.Must(base.Clone()).ParseFS(templateFS, p)
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", p, err)
			}
			set[strings.TrimSuffix(path.Base(p), ".html")] = t
		}
		c.pages[lang] = set
	}
	return c, nil
}

func (c *Console) hashAssets() error {
	return fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		c.assets[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
}

// Static serves the embedded assets under /static/. A URL made by the
// asset template function carries the file's hash, so the answer may be
// cached for a year; a request without the current hash is not cached.
func (c *Console) Static() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if v := r.URL.Query().Get("v"); v != "" && v == c.assets[name] {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		c.static.ServeHTTP(w, r)
	})
}

// Page is what every console template gets as its dot: the frame (who is
// signed in, the language, the CSRF token, the navigation) and the
// page's own view model.
type Page struct {
	Frame Frame
	View  any
}

// Frame is the part of every page the layout draws.
type Frame struct {
	Lang     string
	Title    string // a catalogue key
	Active   string // the navigation item of this page ("" for none)
	User     string
	Role     auth.Role
	CSRF     string
	Path     string // the request's path, for the language switcher's return
	Nav      []NavItem
	Flash    string // a catalogue key of a notice to show once, or ""
	SignedIn bool
}

// NavItem is one entry of the navigation.
type NavItem struct {
	Key    string // the catalogue key of its label, e.g. "nav.customers"
	Href   string
	Active bool
}

// Render writes page name (templates/NAME.html) with view as the page's
// view model, status 200. The template is executed into a buffer first,
// so that a failing template is an error (the error page) rather than a
// half-written page.
func (c *Console) Render(w http.ResponseWriter, r *http.Request, name, title string, view any) error {
	return c.RenderStatus(w, r, http.StatusOK, name, title, view)
}

// RenderStatus is Render with a status code.
func (c *Console) RenderStatus(w http.ResponseWriter, r *http.Request, status int, name, title string, view any) error {
	return c.execute(w, r, status, name, "layout.html", title, view)
}

// Fragment writes the template named block of page name alone (no
// layout), for an htmx request that swaps part of a page.
func (c *Console) Fragment(w http.ResponseWriter, r *http.Request, name, block string, view any) error {
	return c.execute(w, r, http.StatusOK, name, block, "", view)
}

// FragmentStatus is Fragment with a status code.
func (c *Console) FragmentStatus(w http.ResponseWriter, r *http.Request, status int, name, block string, view any) error {
	return c.execute(w, r, status, name, block, "", view)
}

func (c *Console) execute(w http.ResponseWriter, r *http.Request, status int, name, block, title string, view any) error {
	lang := c.Lang(r)
	t, ok := c.pages[lang][name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, Page{Frame: c.frame(r, lang, name, title), View: view}); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", name, block, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the status is sent; a failed write is the client's
	return nil
}

func (c *Console) frame(r *http.Request, lang, name, title string) Frame {
	f := Frame{Lang: lang, Title: title, Active: name, Path: r.URL.Path}
	if f.Title == "" {
		f.Title = "nav." + name
	}
	if tok, ok := r.Context().Value(formTokenKey{}).(string); ok {
		f.CSRF = tok
	}
	if s, ok := auth.SessionFrom(r.Context()); ok && s.Principal.Kind == auth.KindUser {
		f.SignedIn = true
		f.User = s.Principal.Name
		f.Role = s.Principal.Role
		f.CSRF = s.CSRF
		for _, n := range Navigation() {
			f.Nav = append(f.Nav, NavItem{Key: n.Key, Href: n.Href, Active: n.Page == name || strings.HasPrefix(name, n.Page+"_")})
		}
	}
	return f
}

type formTokenKey struct{}

// WithFormToken returns ctx carrying the CSRF token of a page shown
// before sign-in (the login page's, checked against its cookie), for the
// frame's forms.
func WithFormToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, formTokenKey{}, token)
}

// NavEntry is one page of the navigation: the page name (its template),
// its catalogue key and its path.
type NavEntry struct {
	Page string
	Key  string
	Href string
}

// Navigation is every page of the console's menu, in its order. A page
// template named PAGE or PAGE_SOMETHING (customers_profile) lights up
// PAGE's entry.
func Navigation() []NavEntry {
	return []NavEntry{
		{"dashboard", "nav.dashboard", "/"},
		{"customers", "nav.customers", "/customers"},
		{"segments", "nav.segments", "/segments"},
		{"studio", "nav.studio", "/studio"},
		{"campaigns", "nav.campaigns", "/campaigns"},
		{"reports", "nav.reports", "/reports"},
		{"compliance", "nav.compliance", "/compliance"},
		{"settings", "nav.settings", "/settings"},
		{"support", "nav.support", "/support"},
	}
}
