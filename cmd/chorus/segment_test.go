package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	chorusapp "github.com/chorusmkt/chorus/internal/app"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
)

// segmentDB writes a SQLite database with twelve buying customers:
// customer k (1..12) has k orders of 50 each, camera purchases for even k,
// and marketing e-mail consent for k <= 6.
func segmentDB(t *testing.T) string {
	t.Helper()
	sh := fixtureShop{products: []catalog.Product{
		{SKU: "cam", Title: "Camera", Category: "camera", Price: 50, Active: true},
		{SKU: "tea", Title: "Tea", Category: "grocery", Price: 50, Active: true},
	}}
	t0 := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	for k := 1; k <= 12; k++ {
		id := fmt.Sprintf("u%02d", k)
		sh.customers = append(sh.customers, customer.Customer{ID: id, Language: "en", City: "London"})
		if k <= 6 {
			sh.consents = append(sh.consents, customer.Consent{CustomerID: id, Channel: "email", Purpose: "marketing", Status: "granted", At: t0})
		}
		sku := "tea"
		if k%2 == 0 {
			sku = "cam"
		}
		for o := 0; o < k; o++ {
			sh.events = append(sh.events, event.Event{CustomerID: id, Type: event.Purchase, SKU: sku, Quantity: 1, Amount: 50,
				OrderID: fmt.Sprintf("%s-%d", id, o), OccurredAt: t0.Add(time.Duration(o*24+k) * time.Hour)})
		}
	}
	return shopDB(t, sh)
}

func TestSegmentCommands(t *testing.T) {
	db := segmentDB(t)
	const expr = `orders >= 4 && consent.email && affinity["camera"] > 0.5`

	// A dry run counts and shows matches, and saves nothing.
	out, _, err := run(t, db, "segment", "create", "cam_fans", "--expr", expr, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "segment cam_fans: 2 of 12 customers match (16.7%)") || !strings.Contains(out, "u04") ||
		!strings.Contains(out, "u06") || !strings.Contains(out, "dry run: segment cam_fans not saved") {
		t.Fatalf("dry run output:\n%s", out)
	}
	out, _, err = run(t, db, "segment", "list", "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Fatalf("list after dry run = %q, %v", out, err)
	}

	out, _, err = run(t, db, "segment", "create", "cam_fans", "--expr", expr, "--description", "camera buyers we may mail")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "saved segment cam_fans: version 1, 2 members") {
		t.Fatalf("create output:\n%s", out)
	}
	if _, _, err := run(t, db, "segment", "create", "loyal", "--expr", `orders >= 10`); err != nil {
		t.Fatal(err)
	}

	out, _, err = run(t, db, "segment", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "cam_fans ") || !strings.Contains(lines[1], " 2 ") ||
		!strings.HasPrefix(lines[2], "loyal ") || !strings.Contains(lines[2], " 3 ") {
		t.Fatalf("list:\n%s", out)
	}
	out, _, err = run(t, db, "segment", "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var segs []struct {
		Name    string `json:"name"`
		Version int    `json:"version"`
		Members int    `json:"members"`
	}
	if err := json.Unmarshal([]byte(out), &segs); err != nil || len(segs) != 2 || segs[0].Members != 2 || segs[1].Members != 3 {
		t.Fatalf("list --json = %s (%v)", out, err)
	}

	// count NAME: stored and live; count --expr: live only.
	out, _, err = run(t, db, "segment", "count", "loyal")
	if err != nil || !strings.Contains(out, "segment loyal (version 1): 3 stored members; 3 of 12 customers match now") {
		t.Fatalf("count loyal = %q, %v", out, err)
	}
	out, _, err = run(t, db, "segment", "count", "--expr", `orders <= 2`, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var cnt struct{ Count, Total int }
	if err := json.Unmarshal([]byte(out), &cnt); err != nil || cnt.Count != 2 || cnt.Total != 12 {
		t.Fatalf("count --expr --json = %s (%v)", out, err)
	}

	// export to stdout as CSV and to a file as JSON Lines.
	out, _, err = run(t, db, "segment", "export", "cam_fans", "--fields", "orders,revenue")
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 3 || rows[0] != "customer_id,since,orders,revenue" || !strings.HasPrefix(rows[1], "u04,") ||
		!strings.HasSuffix(rows[1], ",4,200") || !strings.HasSuffix(rows[2], ",6,300") {
		t.Fatalf("export csv:\n%s", out)
	}
	file := filepath.Join(t.TempDir(), "loyal.jsonl")
	out, _, err = run(t, db, "segment", "export", "loyal", "--format", "jsonl", "--out", file, "--json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"members": 3`) {
		t.Fatalf("export summary = %s", out)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	jl := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(jl) != 3 || !strings.HasPrefix(jl[0], `{"customer_id":"u10","since":"`) {
		t.Fatalf("export jsonl:\n%s", body)
	}

	// show, refresh, replace, delete.
	out, _, err = run(t, db, "segment", "show", "cam_fans")
	if err != nil || !strings.Contains(out, "description: camera buyers we may mail") || !strings.Contains(out, "version:     1") {
		t.Fatalf("show = %q, %v", out, err)
	}
	out, _, err = run(t, db, "segment", "refresh", "--json")
	if err != nil || !strings.Contains(out, `"segment": "cam_fans"`) || !strings.Contains(out, `"segment": "loyal"`) {
		t.Fatalf("refresh = %q, %v", out, err)
	}
	// New orders for u09 (9 → 10): --customers applies the incremental path.
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		_, err := s.InsertEvents(ctx, []event.Event{{CustomerID: "u09", Type: event.Purchase, SKU: "tea", Quantity: 1,
			Amount: 50, OrderID: "u09-new", OccurredAt: time.Date(2026, 2, 20, 10, 0, 0, 0, time.UTC)}})
		return err
	})
	out, _, err = run(t, db, "segment", "refresh", "--customers", "u09,u01")
	if err != nil || !strings.Contains(strings.Join(strings.Fields(out), " "), "loyal 1 1 (u09) 0 updated 1 segment(s)") {
		t.Fatalf("refresh --customers = %q, %v", out, err)
	}
	out, _, err = run(t, db, "segment", "create", "loyal", "--expr", `orders >= 11`, "--replace")
	if err != nil || !strings.Contains(out, "replaced segment loyal: version 2, 2 members (0 joined, 2 left)") {
		t.Fatalf("replace = %q, %v", out, err)
	}
	if _, _, err := run(t, db, "segment", "delete", "loyal"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "segment", "show", "loyal"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("show after delete: %v", err)
	}
}

func TestSegmentBadInput(t *testing.T) {
	db := segmentDB(t)
	_, _, err := run(t, db, "segment", "create", "x", "--expr", `rfm.segmnt == "champions" && consent.email`)
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad field: %v", err)
	}
	for _, want := range []string{"at 1:5", "  rfm.segmnt == \"champions\" && consent.email\n      ^~~~~~", `did you mean "rfm.segment"?`, "known fields: affinity, age,"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// An expression from a file reports the line of the mistake.
	file := filepath.Join(t.TempDir(), "seg.expr")
	if err := os.WriteFile(file, []byte("orders >= 2 &&\n  consent.email &&\n  revnue > 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, db, "segment", "count", "--expr", "@"+file)
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "at 3:3") || !strings.Contains(err.Error(), `did you mean "revenue"?`) {
		t.Fatalf("expression file: %v", err)
	}
	if _, _, err := run(t, db, "segment", "count", "--expr", "@"+file+".missing"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("missing expression file: %v", err)
	}
	out, _, err := run(t, db, "segment", "count", "--expr", `clv + 1`, "--json")
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("non-boolean: %v", err)
	}
	var body struct {
		CompileError struct {
			Line, Column int
			Message      string
			Known        []string `json:"known_fields"`
		} `json:"compile_error"`
	}
	if err := json.Unmarshal([]byte(out), &body); err != nil || body.CompileError.Line != 1 || body.CompileError.Column != 1 ||
		!strings.Contains(body.CompileError.Message, "true or false") || len(body.CompileError.Known) < 30 {
		t.Fatalf("--json compile error = %s (%v)", out, err)
	}
	for _, args := range [][]string{
		{"segment", "create", "Bad Name", "--expr", "true"},
		{"segment", "create", "x"},
		{"segment", "count"},
		{"segment", "count", "x", "--expr", "true"},
		{"segment", "export", "x", "--format", "xml"},
	} {
		if _, _, err := run(t, db, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	if _, _, err := run(t, db, "segment", "show", "nope"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("show nope: %v", err)
	}
}

func TestBenchSegmentCommand(t *testing.T) {
	out, _, err := run(t, filepath.Join(t.TempDir(), "unused.db"), "bench", "segment", "--n", "20000", "--runs", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Customers int     `json:"customers"`
		Matches   int     `json:"matches"`
		NsPer     float64 `json:"ns_per_record"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Customers != 20000 || r.Matches == 0 || r.NsPer <= 0 {
		t.Fatalf("bench segment = %s (%v)", out, err)
	}
}

func TestUpdateSegmentsAfterWrites(t *testing.T) {
	db := segmentDB(t)
	if _, _, err := run(t, db, "segment", "create", "ten_plus", "--expr", `orders >= 10`); err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	a := cli{db: db}.configured(t, io.Discard, &errOut)
	ctx := context.Background()
	st, err := store.Open(ctx, a.cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.InsertEvents(ctx, []event.Event{{CustomerID: "u09", Type: event.Purchase, SKU: "tea", Quantity: 1,
		Amount: 50, OrderID: "u09-x", OccurredAt: time.Date(2026, 2, 21, 9, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	ap, err := chorusapp.New(ctx, a.cfg, st, chorusapp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	changes, saved, err := ap.Segments.AfterWrite(ctx, []string{"u09"})
	if err != nil || saved != 1 || len(changes) != 1 || len(changes[0].Joined) != 1 || changes[0].Joined[0] != "u09" {
		t.Fatalf("incremental = %+v, %v", changes, err)
	}
	changes.WriteSummary(&errOut, saved)
	if !strings.Contains(errOut.String(), "segments: 1 saved, 1 joined, 0 left") {
		t.Fatalf("summary = %q", errOut.String())
	}
	// Unknown writer scope: a full rebuild, which finds nothing left to do.
	changes, _, err = ap.Segments.AfterWrite(ctx, nil)
	if err != nil || len(changes) != 1 || !changes[0].Empty() {
		t.Fatalf("rebuild = %+v, %v", changes, err)
	}
}
