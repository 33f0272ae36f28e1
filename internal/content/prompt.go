package content

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"text/template"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
	"github.com/chorusmkt/chorus/internal/llm"
)

// PromptVersion names the embedded prompt set; items record it (with a
// hash of any override) so copy can be traced to the prompt that made it.
const PromptVersion = "v1"

//go:embed prompts
var embedded embed.FS

// Prompts are the parsed templates: prompts/<version>/<lang>/<channel>.tmpl
// plus system.tmpl, common.tmpl (shared blocks) and repair.tmpl per
// language. A file of the same relative path in the override directory
// replaces the embedded one, so a merchant can tune a channel's prompt
// without rebuilding.
type Prompts struct {
	sets    map[string]*template.Template // lang/name -> template
	Version string
}

// PromptData is what a template sees.
type PromptData struct {
	Channel  string
	Lang     string
	Fields   []string
	Limits   map[string]int
	Segments int
	Product  *catalog.Product
	Persona  *llm.PersonaFacts
	Brief    Brief
	Voice    Voice
	Sender   string
	OptOut   string
	Slots    []string
	Examples []Example
	// Violations are the reasons of a repair prompt.
	Violations []Violation
}

var funcs = template.FuncMap{
	"join":  func(xs []string, sep string) string { return strings.Join(xs, sep) },
	"price": FormatPrice,
	"emojiZh": func(p string) string {
		switch p {
		case "none":
			return "不使用"
		case "rich":
			return "可以适量使用"
		}
		return "最多点缀一两个"
	},
	"emojiEn": func(p string) string {
		switch p {
		case "none":
			return "none"
		case "rich":
			return "welcome where natural"
		}
		return "at most one or two"
	},
	"persona": personaText,
	// date writes an ISO date as copy does: 11月11日, November 11
	"date": func(iso, lang string) string { return lexicon.DateWords(iso, lang, false) },
}

func personaText(p *llm.PersonaFacts) string {
	var parts []string
	if p.AgeBand != "" {
		parts = append(parts, "age "+p.AgeBand)
	} else if p.Age > 0 {
		parts = append(parts, fmt.Sprintf("age %d", p.Age))
	}
	for _, s := range []string{p.Gender, p.Occupation, p.City} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(p.Interests) > 0 {
		parts = append(parts, "interests: "+strings.Join(p.Interests, ", "))
	}
	if p.Segment != "" {
		parts = append(parts, "segment: "+p.Segment)
	}
	if p.Lifecycle != "" {
		parts = append(parts, "lifecycle: "+p.Lifecycle)
	}
	if len(p.RecentPurchases) > 0 {
		parts = append(parts, "bought before: "+strings.Join(p.RecentPurchases, ", "))
	}
	return strings.Join(parts, "; ")
}

// LoadPrompts parses the embedded prompts, replacing any file found under
// overrideDir (same layout: <version>/<lang>/<name>.tmpl). overrideDir ""
// means the embedded set only. A template that does not parse is an
// Invalid error naming the file.
func LoadPrompts(overrideDir string) (*Prompts, error) {
	root, err := fs.Sub(embedded, "prompts")
	if err != nil {
		return nil, err
	}
	p := &Prompts{sets: map[string]*template.Template{}, Version: PromptVersion}
	h := sha256.New()
	for _, lang := range []string{Zh, En} {
		dir := path.Join(PromptVersion, lang)
		names, err := fs.Glob(root, dir+"/*.tmpl")
		if err != nil {
			return nil, err
		}
		read := func(name string) (string, []byte, error) {
			if overrideDir != "" {
				f := overrideDir + "/" + name
				if b, err := os.ReadFile(f); err == nil {
					h.Write(b)
					return f, b, nil
				}
			}
			b, err := fs.ReadFile(root, name)
			return "embedded:" + name, b, err
		}
		_, common, err := read(dir + "/common.tmpl")
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			base := strings.TrimSuffix(path.Base(n), ".tmpl")
			if base == "common" {
				continue
			}
			src, body, err := read(n)
			if err != nil {
				return nil, err
			}
			t, err := template.New(base).Funcs(funcs).Option("missingkey=zero").Parse(string(common))
			if err == nil {
				t, err = t.Parse(string(body))
			}
			if err != nil {
				return nil, apperr.Wrap(err, apperr.Invalid, "prompt template %s", src)
			}
			p.sets[lang+"/"+base] = t
		}
	}
	if sum := h.Sum(nil); overrideDir != "" && len(sum) > 0 {
		if st, err := os.Stat(overrideDir); err != nil || !st.IsDir() {
			return nil, apperr.New(apperr.Invalid, "prompt override directory %s does not exist", overrideDir)
		}
		p.Version = PromptVersion + "+" + hex.EncodeToString(sum[:4])
	}
	return p, nil
}

func (p *Prompts) exec(lang, name string, d PromptData) (string, error) {
	t, ok := p.sets[lang+"/"+name]
	if !ok {
		return "", apperr.New(apperr.Invalid, "no %s prompt for language %q", name, lang)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "prompt %s/%s", lang, name)
	}
	return strings.TrimSpace(b.String()), nil
}

// Messages builds the system and user messages of a first generation.
func (p *Prompts) Messages(d PromptData) ([]llm.Message, error) {
	sys, err := p.exec(d.Lang, "system", d)
	if err != nil {
		return nil, err
	}
	user, err := p.exec(d.Lang, d.Channel, d)
	if err != nil {
		return nil, err
	}
	return []llm.Message{{Role: llm.RoleSystem, Content: sys}, {Role: llm.RoleUser, Content: user}}, nil
}

// Repair builds the user message that sends violations back to the model.
func (p *Prompts) Repair(d PromptData, vs []Violation) (string, error) {
	d.Violations = vs
	return p.exec(d.Lang, "repair", d)
}
