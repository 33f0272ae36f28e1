package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
)

func TestRawConnExec(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "raw.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE t (i INTEGER, f REAL, s TEXT, b INTEGER, n TEXT)`); err != nil {
		t.Fatal(err)
	}
	c, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "plain", "中文 文本 🎒", "quote ' and \" and \\", "nul\x00inside", strings.Repeat("长", 5000)}
	q := `INSERT INTO t VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?,?,?,?),", len(texts)), ",")
	var args []sqlstore.Value
	for i, s := range texts {
		args = append(args, sqlstore.IntValue(int64(math.MaxInt64-i)), sqlstore.FloatValue(0.1+0.2+float64(i)),
			sqlstore.TextValue(s), sqlstore.IntValue(int64(1-i%2)), sqlstore.Value{})
	}
	n, err := c.Exec(ctx, q, args)
	if err != nil || n != int64(len(texts)) {
		t.Fatalf("Exec = %d, %v", n, err)
	}
	// the same statement again (prepared once), then a rollback of both
	if _, err := c.Exec(ctx, q, args); err != nil {
		t.Fatal(err)
	}
	if err := c.Rollback(); err != nil {
		t.Fatal(err)
	}
	if len(c.stmts) != 1 {
		t.Errorf("%d statements prepared, want 1", len(c.stmts))
	}
	var count int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM t`).Scan(&count); err != nil || count != 0 {
		t.Fatalf("after rollback %d rows (%v)", count, err)
	}
	if err := c.Rollback(); err != nil { // outside a transaction: nothing to do
		t.Errorf("second Rollback: %v", err)
	}

	if err := c.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, q, args); err != nil {
		t.Fatal(err)
	}
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT i, f, s, b, n FROM t ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	k := 0
	for rows.Next() {
		var (
			i   int64
			f   float64
			str string
			b   bool
			nul *string
		)
		if err := rows.Scan(&i, &f, &str, &b, &nul); err != nil {
			t.Fatal(err)
		}
		want := []any{int64(math.MaxInt64 - k), 0.1 + 0.2 + float64(k), texts[k], k%2 == 0, (*string)(nil)}
		if got := []any{i, f, str, b, nul}; !reflect.DeepEqual(got, want) {
			t.Errorf("row %d = %q, want %q", k, got, want)
		}
		k++
	}
	if k != len(texts) {
		t.Fatalf("read %d rows, want %d", k, len(texts))
	}

	// statements of a text of their own do not pile up
	for n := 1; n <= 3*maxRawStmts; n++ {
		q := `INSERT INTO t (i) VALUES ` + strings.TrimSuffix(strings.Repeat("(?),", n), ",")
		if _, err := c.Exec(ctx, q, make([]sqlstore.Value, n)); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.stmts) > maxRawStmts {
		t.Errorf("%d statements kept, want at most %d", len(c.stmts), maxRawStmts)
	}

	// errors name what went wrong and leave the connection usable
	if _, err := c.Exec(ctx, q, args[:3]); err == nil || !strings.Contains(err.Error(), "3 arguments for 30 parameters") {
		t.Errorf("short arguments: %v", err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO t (i) VALUES (?)`, []sqlstore.Value{{Kind: 9}}); err == nil || !strings.Contains(err.Error(), "cannot bind a value of kind 9") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO nowhere VALUES (?)`, []sqlstore.Value{sqlstore.IntValue(1)}); err == nil || !strings.Contains(err.Error(), "no such table: nowhere") {
		t.Errorf("bad statement: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Exec(cctx, q, args); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
	if _, err := openRaw(filepath.Join(t.TempDir(), "missing", "x.db")); err == nil || !strings.Contains(err.Error(), "unable to open") {
		t.Errorf("open of a missing file: %v", err)
	}
}

// countingRaw counts what a BulkLoad sends through the raw connection.
type countingRaw struct {
	sqlstore.RawWriter
	execs  *int    // INSERTs tried
	onExec *func() // after each INSERT, if set
}

func (c countingRaw) Exec(ctx context.Context, q string, args []sqlstore.Value) (int64, error) {
	if !strings.HasPrefix(q, "INSERT") { // savepoints
		return c.RawWriter.Exec(ctx, q, args)
	}
	*c.execs++
	n, err := c.RawWriter.Exec(ctx, q, args)
	if *c.onExec != nil {
		(*c.onExec)()
	}
	return n, err
}

// variedEvents are events of every shape the raw path binds: guests (NULL
// customer), properties, bilingual and empty texts, reals that do not round
// to few digits, and column sets that change from one statement to the
// next.
func variedEvents(n int) []event.Event {
	t0 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	es := make([]event.Event, n)
	for i := range es {
		e := event.Event{Type: event.Purchase, SKU: fmt.Sprintf("SKU-%d", i%97), Quantity: float64(i%7 - 2),
			Amount: float64(i) * 0.1, Currency: "GBP", OrderID: fmt.Sprintf("订单-%d", i/5),
			OccurredAt: t0.Add(time.Duration(i/3) * time.Second)}
		if i%4 != 0 {
			e.CustomerID = fmt.Sprintf("c%d", i%131)
		}
		switch {
		case i%9 == 0:
			e.Properties = map[string]any{"country": "United Kingdom", "备注": "礼物 🎁"}
		case i >= 600 && i < 1000:
			e.Type, e.Channel, e.Campaign, e.SKU, e.Amount, e.Currency = event.Click, "email", "双11 \"quoted\"", "", 0, ""
		}
		es[i] = e
	}
	return es
}

// TestBulkLoadWritesThroughRaw checks that events written in a BulkLoad
// take the raw path and come back exactly as those written through
// database/sql, duplicates included, and that a failed transaction on the
// raw connection leaves nothing behind.
func TestBulkLoadWritesThroughRaw(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func(name string) *sqlstore.Store {
		s, err := Open(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	plain, bulk := open("plain.db"), open("bulk.db")
	var opens, execs int
	var onExec func()
	bulk.SetRawWriter(func() (sqlstore.RawWriter, error) {
		opens++
		w, err := openRaw(filepath.Join(dir, "bulk.db"))
		return countingRaw{w, &execs, &onExec}, err
	})

	es := variedEvents(2500)
	pc, err := plain.InsertEvents(ctx, append([]event.Event(nil), es...))
	if err != nil {
		t.Fatal(err)
	}
	var bc, again event.InsertCounts
	err = bulk.BulkLoad(ctx, func(ctx context.Context) error {
		var err error
		if bc, err = bulk.InsertEvents(ctx, append([]event.Event(nil), es...)); err != nil {
			return err
		}
		// Writes through database/sql in the middle of the load commit
		// the raw connection's open transaction first: they would
		// otherwise wait for its write lock until the busy timeout.
		if _, err := bulk.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Name: "王芳"}}); err != nil {
			return err
		}
		if _, err := bulk.AddConsents(ctx, []customer.Consent{{CustomerID: "c1", Channel: "sms", Status: customer.Granted, At: time.Now()}}); err != nil {
			return err
		}
		again, err = bulk.InsertEvents(ctx, append([]event.Event(nil), es[:1200]...))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if opens != 1 || execs < 2500/400 {
		t.Fatalf("raw connection opened %d times, %d statements: the bulk load did not write through it", opens, execs)
	}
	if bc != pc || bc.Inserted != 2500 {
		t.Errorf("counts: bulk %+v, plain %+v", bc, pc)
	}
	if again.Inserted != 0 || again.Duplicates != 1200 {
		t.Errorf("second write in the load: %+v, want 1200 duplicates", again)
	}
	scan := func(s *sqlstore.Store) []event.Event {
		var out []event.Event
		if err := s.ScanEvents(ctx, event.Filter{}, func(e event.Event) error {
			out = append(out, e)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want, got := scan(plain), scan(bulk)
	if len(got) != len(want) {
		t.Fatalf("bulk stored %d events, plain %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("event %d:\nbulk  %+v\nplain %+v", i, got[i], want[i])
		}
	}

	// A failure inside the raw transaction undoes it, the writes of the
	// calls before it that were not committed yet included, and says so:
	// the second call's first statement is written, then the context is
	// canceled. What was committed before stays.
	cctx, cancel := context.WithCancel(ctx)
	err = bulk.BulkLoad(cctx, func(ctx context.Context) error {
		more := variedEvents(3000)
		for i := range more {
			more[i].OccurredAt = more[i].OccurredAt.Add(time.Hour)
		}
		if c, err := bulk.InsertEvents(ctx, more[:100]); err != nil || c.Inserted != 100 {
			return fmt.Errorf("first call: %+v, %v", c, err)
		}
		execs, onExec = 0, cancel
		_, err := bulk.InsertEvents(ctx, more[100:])
		return err
	})
	onExec = nil
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "the 100 events written before it since the last commit were undone too") {
		t.Fatalf("canceled load = %v", err)
	}
	if execs != 2 { // the first ran, the second saw the cancellation
		t.Errorf("%d statements tried, want 2", execs)
	}
	if n, err := bulk.CountEvents(ctx, event.Filter{}); err != nil || n != 2500 {
		t.Fatalf("after a canceled load: %d events (%v), want the 2500 committed before", n, err)
	}
}

// TestRawConnFiresNoTriggers: a trigger fires on the pool's connections
// and not on the raw one, which the bulk path makes up for itself.
func TestRawConnFiresNoTriggers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "raw.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{`CREATE TABLE t (i INTEGER)`, `CREATE TABLE fired (i INTEGER)`,
		`CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN INSERT INTO fired VALUES (NEW.i); END`} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	c, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO t VALUES (?), (?)`, []sqlstore.Value{sqlstore.IntValue(1), sqlstore.IntValue(2)}); err != nil {
		t.Fatal(err)
	}
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO t VALUES (3)`); err != nil {
		t.Fatal(err)
	}
	var rows, fired int
	if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM t), (SELECT COUNT(*) FROM fired)`).Scan(&rows, &fired); err != nil {
		t.Fatal(err)
	}
	if rows != 3 || fired != 1 {
		t.Fatalf("%d rows, the trigger fired %d times; want 3 rows and once (for the pool's row only)", rows, fired)
	}
}

// TestBulkLoadRefusesUnknownTrigger: a trigger on events that the bulk
// path does not replace would be skipped on its raw connection, so a
// BulkLoad refuses to start, and writes nothing.
func TestBulkLoadRefusesUnknownTrigger(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "chorus.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	es := variedEvents(10)
	// the schema's own triggers are replaced: a load runs
	if err := s.BulkLoad(ctx, func(ctx context.Context) error { _, err := s.InsertEvents(ctx, es[:5]); return err }); err != nil {
		t.Fatalf("BulkLoad on the migrated schema: %v", err)
	}
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE audit (id INTEGER);
		CREATE TRIGGER events_audit AFTER INSERT ON events BEGIN INSERT INTO audit VALUES (NEW.id); END`); err != nil {
		t.Fatal(err)
	}
	ran := false
	err = s.BulkLoad(ctx, func(ctx context.Context) error { ran = true; _, err := s.InsertEvents(ctx, es[5:]); return err })
	if !apperr.Is(err, apperr.Internal) || !strings.Contains(err.Error(), "events_audit") || ran {
		t.Fatalf("BulkLoad with a trigger it does not replace: ran %v, %v; want an internal error naming it", ran, err)
	}
	// outside a load the trigger fires as usual
	if _, err := s.InsertEvents(ctx, es[5:]); err != nil {
		t.Fatal(err)
	}
	var audited int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit`).Scan(&audited); err != nil || audited != 5 {
		t.Fatalf("audit rows %d (%v), want 5", audited, err)
	}
}
