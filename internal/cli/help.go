// Package cli is the command-line machinery of the chorus binary that is
// not about any one command: help text read from files, and commands
// declared by a Spec whose option structs become flags. cmd/chorus keeps
// its command table and its help files.
package cli

import (
	"bufio"
	"fmt"
	"io/fs"
	"strings"
)

// Entry is what one command says about itself.
type Entry struct {
	Short, Long, Example string
	Flags                map[string]string // flag name → usage
}

// Help is every command's help, by path without the program's name
// ("segment create"; "" for the root).
type Help map[string]*Entry

// LoadHelp parses every file of fsys matching pattern (see Parse for the
// format).
func LoadHelp(fsys fs.FS, pattern string) (Help, error) {
	h := Help{}
	files, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if err := h.Parse(string(b)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return h, nil
}

// Parse reads entries: a line "## chorus PATH" starts one; "short: …" and
// "flag NAME: …" are one line each; "long:" and "example:" take the
// following lines indented by two spaces (an empty line is kept as one).
func (h Help) Parse(text string) error {
	var e *Entry
	var block *string
	var lines []string
	flush := func() {
		if block != nil {
			for len(lines) > 0 && lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			*block = strings.Join(lines, "\n")
		}
		block, lines = nil, nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if block != nil && (line == "" || strings.HasPrefix(line, "  ")) {
			lines = append(lines, strings.TrimPrefix(line, "  "))
			continue
		}
		flush()
		key, val, _ := strings.Cut(line, ":")
		switch {
		case line == "" || strings.HasPrefix(line, "#!"):
		case strings.HasPrefix(line, "## "):
			path := strings.TrimSpace(strings.TrimPrefix(line[3:]+" ", "chorus "))
			if h[path] != nil {
				return fmt.Errorf("line %d: %q twice", n, path)
			}
			e = &Entry{Flags: map[string]string{}}
			h[path] = e
		case e == nil:
			return fmt.Errorf("line %d: text before the first ## PATH", n)
		case key == "short":
			e.Short = strings.TrimPrefix(val, " ")
		case key == "long" && val == "":
			block = &e.Long
		case key == "example" && val == "":
			block = &e.Example
		case strings.HasPrefix(key, "flag "):
			e.Flags[strings.TrimPrefix(key, "flag ")] = strings.TrimPrefix(val, " ")
		default:
			return fmt.Errorf("line %d: %q is none of short:, long:, example:, flag NAME:", n, line)
		}
	}
	flush()
	return sc.Err()
}

// Entry is the help of path; a command without one gets an empty entry
// (a completeness test over the command tree reports it).
func (h Help) Entry(path string) *Entry {
	if e := h[path]; e != nil {
		return e
	}
	return &Entry{Flags: map[string]string{}}
}
