package cli

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// TestHelpParse checks that malformed help text is refused and blocks are
// read as written.
func TestHelpParse(t *testing.T) {
	h := Help{}
	err := h.Parse("## chorus x\nshort: S\nlong:\n  one\n\n    two\nflag n: a: b\n\n## chorus x y\nexample:\n  chorus x y\n")
	if err != nil {
		t.Fatal(err)
	}
	if e := h["x"]; e.Short != "S" || e.Long != "one\n\n  two" || e.Flags["n"] != "a: b" || h["x y"].Example != "chorus x y" {
		t.Errorf("parsed %+v %+v", *h["x"], *h["x y"])
	}
	for _, bad := range []string{"short: before any entry\n", "## chorus x\n## chorus x\n", "## chorus x\nlong text without indent\n"} {
		if err := (Help{}).Parse(bad); err == nil {
			t.Errorf("Parse(%q) = nil, want an error", bad)
		}
	}
}

// TestLoadHelp reads several files and names the file of a malformed one.
func TestLoadHelp(t *testing.T) {
	fsys := fstest.MapFS{
		"help/a.txt": {Data: []byte("## chorus\nshort: root\n")},
		"help/b.txt": {Data: []byte("## chorus b\nshort: bee\n")},
	}
	h, err := LoadHelp(fsys, "help/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if h.Entry("").Short != "root" || h.Entry("b").Short != "bee" || h.Entry("missing").Short != "" {
		t.Errorf("loaded %v", h)
	}
	fsys["help/c.txt"] = &fstest.MapFile{Data: []byte("stray\n")}
	if _, err := LoadHelp(fsys, "help/*.txt"); err == nil || !strings.Contains(err.Error(), "help/c.txt") {
		t.Errorf("malformed file: %v", err)
	}
}

// TestCommandUsage replaces a flag's usage and the long text from the
// Spec, leaving the other flags' usages to the help file.
func TestCommandUsage(t *testing.T) {
	h := Help{}
	if err := h.Parse("## chorus c\nshort: C\nlong:\n  From the file.\nflag a: file a\nflag b: file b\n"); err != nil {
		t.Fatal(err)
	}
	var o struct {
		A string `flag:"a"`
		B string `flag:"b"`
	}
	c := h.Command("", Spec{Use: "c", Opts: &o, Usage: map[string]string{"a": "built a"}, Long: "Built."})
	if a, b := c.Flags().Lookup("a").Usage, c.Flags().Lookup("b").Usage; a != "built a" || b != "file b" {
		t.Errorf("usages %q, %q; want built a, file b", a, b)
	}
	if c.Long != "Built." || c.Short != "C" {
		t.Errorf("help %q %q", c.Short, c.Long)
	}
}

// TestCommand builds a command from a Spec: help by path, flags from the
// tagged fields with their values as defaults, modes, and the bound map.
func TestCommand(t *testing.T) {
	h := Help{}
	if err := h.Parse("## chorus g c\nshort: C\nlong:\n  Long C.\nflag name: the name\nflag n: how many\n"); err != nil {
		t.Fatal(err)
	}
	var opts struct {
		Name  string        `flag:"name,required"`
		N     int           `flag:"n"`
		Wait  time.Duration `flag:"wait,hidden"`
		Tags  []string      `flag:"tag,array"`
		Other string
		Embedded
	}
	opts.N, opts.Level = 3, 2
	extra := 1.5
	ran := false
	c := h.Command("g", Spec{Use: "c NAME", Opts: &opts, Flags: map[string]any{"ratio": &extra},
		Run: func(*cobra.Command, []string) error { ran = true; return nil }})
	if c.Short != "C" || c.Long != "Long C." || c.Use != "c NAME" {
		t.Errorf("help %q %q %q", c.Short, c.Long, c.Use)
	}
	if f := c.Flags().Lookup("n"); f == nil || f.DefValue != "3" || f.Usage != "how many" {
		t.Errorf("flag n: %+v", f)
	}
	if f := c.Flags().Lookup("wait"); f == nil || !f.Hidden {
		t.Errorf("flag wait should be hidden: %+v", f)
	}
	if f := c.Flags().Lookup("name"); f == nil || f.Annotations[cobra.BashCompOneRequiredFlag] == nil {
		t.Errorf("flag name should be required: %+v", f)
	}
	if c.Flags().Lookup("Other") != nil || c.Flags().Lookup("other") != nil {
		t.Error("an untagged field became a flag")
	}
	if f := c.Flags().Lookup("level"); f == nil || f.DefValue != "2" {
		t.Errorf("flag level of an embedded struct: %+v", f)
	}
	c.SetArgs([]string{"--name", "x", "--tag", "a,b", "--tag", "c", "--ratio", "2", "--level", "5"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if !ran || opts.Name != "x" || len(opts.Tags) != 2 || opts.Tags[0] != "a,b" || extra != 2 || opts.Level != 5 {
		t.Errorf("ran %v, opts %+v, ratio %v", ran, opts, extra)
	}
}

// Embedded is options another package declares, embedded in a command's.
type Embedded struct {
	Level int `flag:"level"`
}

// TestBindFlagUnknownType: a variable without a flag type is refused.
func TestBindFlagUnknownType(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a *complex128")
		}
	}()
	var c complex128
	BindFlag((&cobra.Command{}).Flags(), "c", &c, &Entry{})
}

// TestSuggest keeps a suggested line whose flags exist, falls back to the
// first example for a renamed flag, and refuses a command not built in.
func TestSuggest(t *testing.T) {
	root := &cobra.Command{Use: "chorus"}
	root.PersistentFlags().String("db", "", "")
	demo := &cobra.Command{Use: "demo", Example: "  # build it\n  chorus demo\n  chorus demo --json", Run: func(*cobra.Command, []string) {}}
	demo.Flags().Bool("json", false, "")
	demo.Flags().Int64("seed", 1, "")
	bare := &cobra.Command{Use: "bare", Run: func(*cobra.Command, []string) {}}
	root.AddCommand(demo, bare)
	for line, want := range map[string]bool{
		"chorus demo --json --db x.db":  true,
		"chorus demo --seed=3":          true,
		"chorus demo --customer C00001": false, // a renamed or mistyped flag
		"chorus demo":                   true,
	} {
		if got := FlagsExist(root, demo, line); got != want {
			t.Errorf("FlagsExist(%q) = %v, want %v", line, got, want)
		}
	}
	for _, c := range []struct {
		path       []string
		line, want string
		ok         bool
	}{
		{[]string{"demo"}, "chorus demo --seed=3", "chorus demo --seed=3", true},
		{[]string{"demo"}, "chorus demo --nope", "chorus demo", true},
		{[]string{"demo"}, "", "chorus demo", true},
		{[]string{"bare"}, "", "chorus bare --help", true},
		{[]string{"missing"}, "chorus missing", "", false},
	} {
		if got, ok := Suggest(root, c.path, c.line); got != c.want || ok != c.ok {
			t.Errorf("Suggest(%v, %q) = %q, %v; want %q, %v", c.path, c.line, got, ok, c.want, c.ok)
		}
	}
}

// TestProfilesStart writes every profile it is asked for, and refuses a
// file it cannot create.
func TestProfilesStart(t *testing.T) {
	dir := t.TempDir()
	p := Profiles{CPU: dir + "/cpu", Mem: dir + "/mem", Block: dir + "/block", Mutex: dir + "/mutex", Trace: dir + "/trace"}
	stop, err := p.Start()
	if err != nil {
		t.Fatal(err)
	}
	stop()
	for _, f := range []string{p.CPU, p.Mem, p.Block, p.Mutex, p.Trace} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v (%v)", f, st, err)
		}
	}
	if _, err := (Profiles{Trace: dir + "/no/such/dir/trace"}).Start(); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("uncreatable file: %v, want Invalid", err)
	}
}

func TestTextInput(t *testing.T) {
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"ignored", []string{"最佳", "选择"}, "最佳 选择"},
		{"这是最佳选择\n", nil, "这是最佳选择"},
		{"two lines\r\nend\r\n", nil, "two lines\r\nend"},
	} {
		if got, err := TextInput(strings.NewReader(tt.stdin), tt.args); err != nil || got != tt.want {
			t.Errorf("TextInput(%q, %q) = %q, %v; want %q", tt.stdin, tt.args, got, err, tt.want)
		}
	}
	for _, blank := range []string{"", " \n", "\n"} {
		if _, err := TextInput(strings.NewReader(blank), nil); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("TextInput(%q): %v, want Invalid", blank, err)
		}
	}
	if LoginName() == "" {
		t.Error("LoginName is empty")
	}
}
