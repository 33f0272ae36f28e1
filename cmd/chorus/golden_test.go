package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// update rewrites the golden files instead of comparing with them:
// go test ./cmd/chorus -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/chorus -run %s -update to create it)", err, t.Name())
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs from the golden file at line %d:\n got: %q\nwant: %q\n(go test ./cmd/chorus -run %s -update rewrites it after an intended change)",
				path, i+1, g, w, t.Name())
		}
	}
}

// latency is a time the output reports, which no golden file can pin.
var latency = regexp.MustCompile(`· [0-9.]+ ms ·`)

// demoPassword is the demo admin's random password, masked in the golden
// file; TestDemoGolden checks it is there.
var demoPassword = regexp.MustCompile(`(demo / )[a-z2-7]{16}\b`)

// TestDemoGolden pins what `chorus demo` prints and the campaign previews'
// index.html, so that moving code between packages cannot change them.
func TestDemoGolden(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "chorus.db")
	previews := filepath.Join(dir, "previews")
	c := cli{db: db, env: map[string]string{"CHORUS_CONTENT_OUTPUT_DIR": previews}}
	out, errOut, err := c.run(t, "demo", "--customers", "60", "--seed", "3")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut)
	}
	out = strings.NewReplacer(db, "DB", previews, "PREVIEWS").Replace(out)
	out = latency.ReplaceAllString(out, "· N ms ·") // the assistant's answers say how long they took
	if n := len(demoPassword.FindAllString(out, -1)); n != 2 {
		t.Fatalf("the demo printed its admin password %d times, want 2 (en and zh)", n)
	}
	out = demoPassword.ReplaceAllString(out, "${1}PASSWORD")
	golden(t, "demo.golden", out)
	index, err := os.ReadFile(filepath.Join(previews, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "demo_index.golden.html", string(index))
}
