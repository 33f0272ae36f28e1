package sqlite

import (
	"errors"

	sqlite3 "modernc.org/sqlite"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
)

// dialect is SQLite's: the shared SQL's engine differences and what its
// error codes mean to a person.
var dialect = func() sqlstore.Dialect {
	d := sqlstore.SQLiteDialect
	d.Classify = classify
	return d
}()

// SQLite's primary result codes (the low byte of an extended code).
const (
	codeBusy     = 5
	codeLocked   = 6
	codeReadOnly = 8
	codeIOErr    = 10
	codeCorrupt  = 11
	codeFull     = 13
	codeCantOpen = 14
	codeNotADB   = 26
)

// classify gives SQLite's errors about the database file a kind and a
// message that says what to do.
func classify(err error) (apperr.Kind, string, bool) {
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return "", "", false
	}
	switch se.Code() & 0xff {
	case codeReadOnly:
		return apperr.Unavailable, "the database is read-only: check the permissions of the file and its folder (--db)", true
	case codeFull:
		return apperr.Unavailable, "the disk holding the database is full", true
	case codeBusy, codeLocked:
		return apperr.Unavailable, "the database is busy: another process holds its write lock; try again", true
	case codeIOErr, codeCantOpen:
		return apperr.Unavailable, "the database file cannot be read or written (--db)", true
	case codeCorrupt, codeNotADB:
		return apperr.Invalid, "the database file is damaged or not a Chorus database (--db)", true
	}
	return "", "", false
}
