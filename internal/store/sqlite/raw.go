package sqlite

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"unsafe"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
	"modernc.org/libc"
	lib "modernc.org/sqlite/lib"
)

// rawConn is a connection opened through SQLite's C API (modernc's
// transpiled library) rather than database/sql, for the one place where the
// driver's per-value cost dominates: the rows of a bulk import.
//
// Through database/sql every bound value costs an interface conversion, a
// lookup of the parameter's name, a C allocation and copy for each text, and
// a lock of the connection's mutex inside SQLite (taken and released per
// bind, about 100 ns in the transpiled pthread code). Here the connection is
// opened SQLITE_OPEN_NOMUTEX, since one goroutine at a time uses it (the
// BulkLoad serialises its transactions), and the texts of a whole statement
// are copied into one C buffer that every text parameter points into
// (SQLITE_STATIC), freed once the statement has run.
//
// It implements sqlstore.RawWriter; statements are prepared once per query
// text and kept (up to maxRawStmts) until Close.
type rawConn struct {
	path  string
	tls   *libc.TLS
	db    uintptr
	out   uintptr // 8 bytes of C memory for the API's out-parameters
	stmts map[string]uintptr
	text  []byte // the texts of the statement being bound
	offs  []int  // text parameters' offsets in text, by argument
}

// rawPragmas are set on a raw connection: the pool's (see Open), and no
// automatic checkpoints, since it writes only inside a BulkLoad, which
// checkpoints once at its end.
var rawPragmas = []string{"busy_timeout = 10000", "synchronous = NORMAL", "foreign_keys = ON", "cache_size = -16384", "wal_autocheckpoint = 0"}

// openRaw opens the database file path (which must exist) for raw writes.
func openRaw(path string) (_ *rawConn, err error) {
	c := &rawConn{path: path, tls: libc.NewTLS(), stmts: map[string]uintptr{}}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	if c.out = libc.Xmalloc(c.tls, 8); c.out == 0 {
		return nil, apperr.New(apperr.Internal, "sqlite: raw connection: out of memory")
	}
	name, err := libc.CString(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "sqlite: raw connection")
	}
	defer libc.Xfree(c.tls, name)
	rc := lib.Xsqlite3_open_v2(c.tls, name, c.out, lib.SQLITE_OPEN_READWRITE|lib.SQLITE_OPEN_NOMUTEX, 0)
	c.db = c.readOut() // set even on error: it must be closed
	if rc != lib.SQLITE_OK {
		return nil, c.err(rc, "open "+path)
	}
	lib.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	if err := c.disableTriggers(); err != nil {
		return nil, err
	}
	for _, p := range rawPragmas {
		if err := c.exec("PRAGMA " + p); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// disableTriggers turns the schema's triggers off on the connection
// (SQLITE_DBCONFIG_ENABLE_TRIGGER): a row trigger costs every inserted
// row a sub-program run and its own writes, which the BulkLoad does once
// per statement instead (see sqlstore.RawWriter). SQLite reports the
// setting it leaves, which must be off.
func (c *rawConn) disableTriggers() error {
	// sqlite3_db_config(db, op, int onoff, int *pResult): two variadic
	// arguments, each in an 8-byte slot of the va_list
	va := libc.Xmalloc(c.tls, 16)
	if va == 0 {
		return apperr.New(apperr.Internal, "sqlite: raw connection: out of memory")
	}
	defer libc.Xfree(c.tls, va)
	libc.Xmemset(c.tls, c.out, -1, 4) // -1 until SQLite writes the state
	rc := lib.Xsqlite3_db_config(c.tls, c.db, lib.SQLITE_DBCONFIG_ENABLE_TRIGGER, libc.VaList(va, int32(0), c.out))
	if rc != lib.SQLITE_OK {
		return c.err(rc, "disable triggers")
	}
	if on := int32(binary.NativeEndian.Uint32(libc.GoBytes(c.out, 4))); on != 0 {
		return apperr.New(apperr.Internal, "sqlite: raw connection: triggers still enabled (%d)", on)
	}
	return nil
}

// readOut reads the pointer an API call stored in c.out.
func (c *rawConn) readOut() uintptr {
	return uintptr(binary.NativeEndian.Uint64(libc.GoBytes(c.out, 8)))
}

// err describes the connection's last error.
func (c *rawConn) err(rc int32, what string) error {
	msg := libc.GoString(lib.Xsqlite3_errstr(c.tls, rc))
	if c.db != 0 {
		msg = libc.GoString(lib.Xsqlite3_errmsg(c.tls, c.db))
	}
	kind := apperr.Internal
	if rc&0xff == lib.SQLITE_BUSY || rc&0xff == lib.SQLITE_LOCKED {
		kind = apperr.Unavailable
	}
	return apperr.New(kind, "sqlite: %s: %s (%d)", what, msg, rc)
}

// exec runs SQL without parameters or results.
func (c *rawConn) exec(sql string) error {
	z, err := libc.CString(sql)
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "sqlite: raw exec")
	}
	defer libc.Xfree(c.tls, z)
	if rc := lib.Xsqlite3_exec(c.tls, c.db, z, 0, 0, 0); rc != lib.SQLITE_OK {
		return c.err(rc, sql)
	}
	return nil
}

// Begin starts an IMMEDIATE transaction (as the pool's transactions do), so
// that a busy database is waited for at the start, not at the first write.
func (c *rawConn) Begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return c.exec("BEGIN IMMEDIATE")
}

// Commit commits the transaction.
func (c *rawConn) Commit() error { return c.exec("COMMIT") }

// LogSize is the size of the database's write-ahead log file (0 if there
// is none).
func (c *rawConn) LogSize() (int64, error) {
	fi, err := os.Stat(c.path + "-wal")
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Rollback rolls the transaction back; outside one it does nothing.
func (c *rawConn) Rollback() error {
	if lib.Xsqlite3_get_autocommit(c.tls, c.db) != 0 {
		return nil
	}
	return c.exec("ROLLBACK")
}

// Exec runs query, a statement without results, with args bound to its
// parameters in order, and returns the rows it changed.
func (c *rawConn) Exec(ctx context.Context, query string, args []sqlstore.Value) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	st, err := c.prepare(query)
	if err != nil {
		return 0, err
	}
	if n := int(lib.Xsqlite3_bind_parameter_count(c.tls, st)); n != len(args) {
		return 0, apperr.New(apperr.Internal, "sqlite: %d arguments for %d parameters", len(args), n)
	}
	// All texts into one buffer, then one C copy of it.
	c.text, c.offs = c.text[:0], c.offs[:0]
	for _, a := range args {
		if a.Kind == sqlstore.Text {
			c.offs = append(c.offs, len(c.text))
			c.text = append(c.text, a.Text...)
		}
	}
	var buf uintptr
	if len(c.offs) > 0 {
		c.text = append(c.text, 0) // never empty: a zero pointer would bind NULL
		if buf, err = libc.CString(unsafe.String(&c.text[0], len(c.text))); err != nil {
			return 0, apperr.Wrap(err, apperr.Internal, "sqlite: raw exec")
		}
		defer libc.Xfree(c.tls, buf)
	}
	t := 0
	for i, a := range args {
		k := int32(i + 1)
		var rc int32
		switch a.Kind {
		case sqlstore.Null:
			rc = lib.Xsqlite3_bind_null(c.tls, st, k)
		case sqlstore.Int:
			rc = lib.Xsqlite3_bind_int64(c.tls, st, k, a.Int)
		case sqlstore.Float:
			rc = lib.Xsqlite3_bind_double(c.tls, st, k, a.Float)
		case sqlstore.Text:
			rc = lib.Xsqlite3_bind_text(c.tls, st, k, buf+uintptr(c.offs[t]), int32(len(a.Text)), lib.SQLITE_STATIC)
			t++
		default:
			lib.Xsqlite3_clear_bindings(c.tls, st)
			return 0, apperr.New(apperr.Internal, "sqlite: cannot bind a value of kind %d", a.Kind)
		}
		if rc != lib.SQLITE_OK {
			lib.Xsqlite3_clear_bindings(c.tls, st)
			return 0, c.err(rc, "bind")
		}
	}
	rc := lib.Xsqlite3_step(c.tls, st)
	// Reset and unbind before buf is freed: no parameter may point into it.
	lib.Xsqlite3_reset(c.tls, st)
	lib.Xsqlite3_clear_bindings(c.tls, st)
	if rc != lib.SQLITE_DONE && rc != lib.SQLITE_ROW {
		return 0, c.err(rc, "exec")
	}
	return lib.Xsqlite3_changes64(c.tls, c.db), nil
}

// maxRawStmts bounds the prepared statements a raw connection keeps. A
// load reuses a few (its full batches, one per set of columns); the last,
// shorter batch of each write has a text of its own, and a statement of
// thousands of parameters holds a few hundred kilobytes.
const maxRawStmts = 16

// prepare returns query's statement, preparing it the first time.
func (c *rawConn) prepare(query string) (uintptr, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxRawStmts {
		for q, st := range c.stmts {
			lib.Xsqlite3_finalize(c.tls, st)
			delete(c.stmts, q)
		}
	}
	z, err := libc.CString(query)
	if err != nil {
		return 0, apperr.Wrap(err, apperr.Internal, "sqlite: prepare")
	}
	defer libc.Xfree(c.tls, z)
	if rc := lib.Xsqlite3_prepare_v3(c.tls, c.db, z, int32(len(query)), lib.SQLITE_PREPARE_PERSISTENT, c.out, 0); rc != lib.SQLITE_OK {
		return 0, c.err(rc, "prepare "+shorten(query))
	}
	st := c.readOut()
	if st == 0 {
		return 0, apperr.New(apperr.Internal, "sqlite: prepare %s: no statement", shorten(query))
	}
	c.stmts[query] = st
	return st, nil
}

// Close finalises the statements and closes the connection.
func (c *rawConn) Close() error {
	if c.tls == nil {
		return nil
	}
	for _, st := range c.stmts {
		lib.Xsqlite3_finalize(c.tls, st)
	}
	c.stmts = nil
	var err error
	if c.db != 0 {
		if rc := lib.Xsqlite3_close_v2(c.tls, c.db); rc != lib.SQLITE_OK {
			err = c.err(rc, "close")
		}
		c.db = 0
	}
	if c.out != 0 {
		libc.Xfree(c.tls, c.out)
	}
	c.tls.Close()
	c.tls = nil
	return err
}

func shorten(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 60 {
		q = q[:60] + "…"
	}
	return q
}

var _ sqlstore.RawWriter = (*rawConn)(nil)
