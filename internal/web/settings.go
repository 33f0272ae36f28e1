package web

import (
	"net/http"
	"strings"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/shop"
)

type settingsView struct {
	LLM       llmView
	Ping      *provider.PingReport
	PingError string
	Usage     []llm.UsageRecord
	Total     llm.UsageRecord
	Shop      []shopRow
	CanChange bool
	Saved     string // the key just saved, or ""
}

// llmView is the configured model, never its API key.
type llmView struct {
	Provider, Model, BaseURL, Profile, StructuredOutput string
	Concurrency, RPM, TPM                               int
	Local, HasKey                                       bool
}

type shopRow struct {
	Key, Value, Source string
	FromConfig         bool
}

// Settings shows the LLM provider (as configured), its usage and cost,
// and the shop's settings with their sources; an admin may change the
// shop's settings.
func (c *Console) Settings(w http.ResponseWriter, r *http.Request) error {
	v, err := c.settingsView(r)
	if err != nil {
		return err
	}
	return c.Render(w, r, "settings", "nav.settings", v)
}

func (c *Console) settingsView(r *http.Request) (settingsView, error) {
	ctx := r.Context()
	ap := c.deps.App
	l := ap.Config.LLM
	v := settingsView{LLM: llmView{Provider: l.Provider, Model: l.Model, BaseURL: l.BaseURL, Profile: l.Profile, StructuredOutput: l.StructuredOutput,
		Concurrency: l.Concurrency, RPM: l.RPM, TPM: l.TPM, Local: l.Local, HasKey: l.APIKey != ""}}
	if p, ok := auth.PrincipalFrom(ctx); ok {
		v.CanChange = p.Can(auth.ChangeSettings)
	}
	us, err := ap.Store.LLMUsage(ctx, llm.UsageFilter{})
	if err != nil {
		return v, err
	}
	v.Usage = us
	for _, u := range us {
		v.Total.Add(u)
	}
	res, err := ap.Shop(ctx)
	if err != nil {
		return v, err
	}
	for _, k := range shop.Keys() {
		v.Shop = append(v.Shop, shopRow{Key: k, Value: res.Get(k), Source: res.Sources[k], FromConfig: res.Sources[k] == "config"})
	}
	return v, nil
}

// SettingsPing calls the configured model once, as `chorus llm ping`
// does, and shows the provider, model, latency and structured-output
// support. A failing provider is shown on the page, not as an error
// page: finding that out is the point.
func (c *Console) SettingsPing(w http.ResponseWriter, r *http.Request) error {
	v, err := c.settingsView(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	stack, err := app.ModelStack(ctx, c.deps.App.Config, nil, provider.WithPing(), provider.WithoutCache())
	if err == nil {
		var rep provider.PingReport
		rep, err = stack.PingReport(ctx)
		stack.Close(ctx)
		if err == nil {
			v.Ping = &rep
		}
	}
	if err != nil {
		if apperr.KindOf(err) == apperr.Internal {
			return err
		}
		v.PingError = err.Error()
	}
	if r.Header.Get("HX-Request") == "true" {
		return c.Fragment(w, r, "settings", "ping", v)
	}
	return c.Render(w, r, "settings", "nav.settings", v)
}

// SettingsShop sets one shop setting (admin only, by the route) with the
// service `chorus shop set` uses, records it in the audit log, and shows
// the settings again.
func (c *Console) SettingsShop(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	key := strings.TrimSpace(r.PostFormValue("key"))
	value := strings.TrimSpace(r.PostFormValue("value"))
	s, _, err := c.deps.App.SetShop(ctx, key, value) // audited; the gate sees the change
	if err != nil {
		return err
	}
	v, err := c.settingsView(r)
	if err != nil {
		return err
	}
	v.Saved = s.Key
	return c.Render(w, r, "settings", "nav.settings", v)
}
