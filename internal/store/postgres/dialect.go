package postgres

import (
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/store/sqlstore"
)

// dialect is PostgreSQL's: the shared SQL's engine differences and what
// its errors mean to a person.
var dialect = func() sqlstore.Dialect {
	d := sqlstore.PostgresDialect
	d.Classify = classify
	return d
}()

// classify gives PostgreSQL's errors about the server (not about a
// statement) a kind and a message that says what to do.
func classify(err error) (apperr.Kind, string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "25006":
			return apperr.Unavailable, "the database is read-only (a standby, or default_transaction_read_only is on)", true
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "57P"):
			return apperr.Unavailable, "lost the connection to PostgreSQL; try again", true
		case strings.HasPrefix(pe.Code, "53"):
			return apperr.Unavailable, "PostgreSQL is out of resources (disk, memory or connections); try again later", true
		case pe.Code == "40001", pe.Code == "40P01":
			return apperr.Unavailable, "a concurrent change got in the way (serialisation failure or deadlock); try again", true
		}
		return "", "", false
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) {
		return apperr.Unavailable, "lost the connection to PostgreSQL; try again", true
	}
	return "", "", false
}
