package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/app"
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
