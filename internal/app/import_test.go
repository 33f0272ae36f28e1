package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// The saved segments follow an import through the marks the store writes
// in the import's own transactions: the segment engine re-evaluates just
// the customers the import touched, and when the process stops between the
// import and the segment update, the next Follow does it.
func TestImportFollowsSavedSegments(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	a, err := app.New(ctx, config.Default(), st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	if _, err := a.Segments.Save(ctx, segment.SaveRequest{Name: "in_hangzhou", Expression: `city == "杭州"`}); err != nil {
		t.Fatal(err)
	}
	res, err := a.Import(ctx, importer.Options{Entity: importer.Customers, Path: "customers.csv",
		Input: strings.NewReader("id,name,city\nc1,王芳,杭州\nc2,Li,上海\n")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Saved != 1 || res.SegmentsErr != nil || !equal(res.Segments.For("in_hangzhou").Joined, "c1") {
		t.Fatalf("segments after the import: %+v (%d saved, %v)", res.Segments, res.Saved, res.SegmentsErr)
	}
	if p, err := st.PendingSegmentCustomers(ctx); err != nil || len(p) != 0 {
		t.Fatalf("marks left after following: %v, %v", p, err)
	}

	// an import whose process stopped before the segments followed it
	if _, err := importer.Run(ctx, st, importer.Options{Entity: importer.Customers, Path: "moves.csv",
		Input: strings.NewReader("id,city\nc2,杭州\nc3,杭州\n")}); err != nil {
		t.Fatal(err)
	}
	a.Invalidate()
	changes, saved, err := a.Segments.Follow(ctx)
	if err != nil || saved != 1 || !equal(changes.For("in_hangzhou").Joined, "c2", "c3") {
		t.Fatalf("follow after a stop: %+v, %d, %v", changes, saved, err)
	}
	members, err := a.Segments.Members(ctx, "in_hangzhou")
	if err != nil || !equal(members, "c1", "c2", "c3") {
		t.Fatalf("members %v, %v", members, err)
	}
	if changes, _, err := a.Segments.Follow(ctx); err != nil || len(changes) != 0 {
		t.Errorf("a second follow: %+v, %v", changes, err)
	}
}

func equal(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// ReportImport asks a person for the shop's name when an import leaves
// the shop without one and stores the answer; with nobody to ask it says
// how to set it, and with no person reading (nil) it says nothing of the
// shop. SetShop is audited as the caller.
func TestReportImportAndSetShop(t *testing.T) {
	ctx := auth.WithActor(context.Background(), "cli:tester")
	st := storetest.OpenSQLite(t)
	a, err := app.New(ctx, config.Default(), st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	res, err := a.ImportFile(ctx, importer.Options{Entity: importer.Customers, Path: "customers.csv",
		Input: strings.NewReader("id,name,city\nc1,王芳,杭州\n")}, "")
	if err != nil {
		t.Fatal(err)
	}
	var w strings.Builder
	if err := a.ReportImport(ctx, res, &w, nil); err != nil || strings.Contains(w.String(), "shop") {
		t.Fatalf("no person reading: %q, %v", w.String(), err)
	}
	nobody := func(string) (string, bool) { return "", false }
	if err := a.ReportImport(ctx, res, &w, nobody); err != nil || !strings.Contains(w.String(), "chorus shop set name") {
		t.Fatalf("nobody to ask: %q, %v", w.String(), err)
	}
	var asked string
	person := func(q string) (string, bool) { asked = q; return "Gift Co", true }
	if err := a.ReportImport(ctx, res, &w, person); err != nil || !strings.Contains(asked, "Shop name") {
		t.Fatalf("asked %q: %v", asked, err)
	}
	if r, err := a.Shop(ctx); err != nil || r.Name != "Gift Co" {
		t.Fatalf("the shop after the answer: %+v, %v", r, err)
	}
	if _, _, err := a.SetShop(ctx, "colour", "blue"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an unknown key: %v", err)
	}
	s, r, err := a.SetShop(ctx, "name", "  Lumen  ")
	if err != nil || s.Value != "Lumen" || r.Name != "Lumen" {
		t.Fatalf("SetShop: %+v %+v %v", s, r, err)
	}
	es, err := a.Auth.Audit(ctx, auth.AuditFilter{Action: "settings.change"})
	if err != nil || len(es) != 1 || es[0].Actor != "cli:tester" || es[0].Target != "shop.name" {
		t.Fatalf("audit: %+v, %v", es, err)
	}
	if _, err := a.ImportFile(ctx, importer.Options{Entity: importer.Customers, Path: "x.csv"}, t.TempDir()); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a reject report that cannot be created: %v", err)
	}
}
