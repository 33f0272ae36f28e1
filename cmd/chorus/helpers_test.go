package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store"
)

// cli is what a test gives chorus besides its arguments. The zero value
// runs on a new SQLite file, with nothing on standard input and an empty
// environment, so the developer's CHORUS_* never reach a test.
type cli struct {
	db    string            // --db (default: a new file in t.TempDir())
	stdin string            // standard input
	env   map[string]string // the whole environment
}

// app is an app reading c's stdin and env and writing to stdout and stderr.
func (c cli) app(stdout, stderr io.Writer) *app {
	a := newApp(strings.NewReader(c.stdin), stdout, stderr)
	a.env = func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }
	return a
}

// run executes chorus in-process with args and returns stdout, stderr and
// the error.
func (c cli) run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	db := c.db
	if db == "" {
		db = filepath.Join(t.TempDir(), "chorus.db")
	}
	var out, errOut bytes.Buffer
	root := c.app(&out, &errOut).root()
	root.SetArgs(append([]string{"--db", db}, args...))
	err := root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// run executes chorus with args against db: cli{db: db}.run, the common
// case.
func run(t *testing.T, db string, args ...string) (string, string, error) {
	t.Helper()
	return cli{db: db}.run(t, args...)
}

// configured is c's app with its configuration loaded as a command's
// would be, for tests that call the app's methods directly.
func (c cli) configured(t *testing.T, stdout, stderr io.Writer) *app {
	t.Helper()
	a := c.app(stdout, stderr)
	a.dbFlag = c.db
	if err := a.loadConfig(); err != nil {
		t.Fatal(err)
	}
	return a
}

// demoEnv keeps the previews of the demo's campaign out of the source
// tree.
func demoEnv(t *testing.T) map[string]string {
	return map[string]string{"CHORUS_CONTENT_OUTPUT_DIR": t.TempDir()}
}

// inStore opens the database db, runs fn on it and closes it; an error
// from either fails the test.
func inStore(t *testing.T, db string, fn func(ctx context.Context, s store.Store) error) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := fn(ctx, s); err != nil {
		t.Fatal(err)
	}
}

// fixtureShop is what a fixture database holds.
type fixtureShop struct {
	products  []catalog.Product
	customers []customer.Customer
	consents  []customer.Consent
	events    []event.Event
}

// shopDB writes sh to a new SQLite database, in the order of its fields,
// and returns the database's path.
func shopDB(t *testing.T, sh fixtureShop) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chorus.db")
	inStore(t, path, func(ctx context.Context, s store.Store) (err error) {
		if len(sh.products) > 0 {
			_, _, _, err = s.UpsertProducts(ctx, sh.products)
		}
		if err == nil && len(sh.customers) > 0 {
			_, err = s.UpsertCustomers(ctx, sh.customers)
		}
		if err == nil && len(sh.consents) > 0 {
			_, err = s.AddConsents(ctx, sh.consents)
		}
		if err == nil && len(sh.events) > 0 {
			_, err = s.InsertEvents(ctx, sh.events)
		}
		return err
	})
	return path
}
