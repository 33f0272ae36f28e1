package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
)

// migrationStep is the Go part of migration version, run in the
// migration's transaction after its SQL, or nil when it has none. A
// migration with a step is applied after the SQL-only migrations of the
// same Migrate call, since its step rewrites rows of tables that later
// migrations create.
func migrationStep(version int) func(ctx context.Context, tx *sql.Tx) error {
	switch version {
	case 14:
		return rekeyPhones
	}
	return nil
}

// customerRefs are the tables that name a customer, with the columns that
// (with customer_id) make a row unique: a row of the old id that a row of
// the new id already covers is dropped instead of moved. A nil list: no
// such constraint; an empty one: customer_id alone is unique.
var customerRefs = []struct {
	table  string
	unique []string
}{
	{"consents", []string{"channel", "purpose", "status", "at"}},
	{"events", nil},
	{"segment_members", []string{"segment"}},
	{"policy_sends", nil},
	{"policy_contact_locks", []string{}},
	{"policy_skips", []string{"campaign", "channel", "purpose", "planned_at"}},
	{"content_items", nil},
	{"support_conversations", nil},
	{"support_handoffs", nil},
	{"campaign_sends", []string{"campaign_id", "channel"}},
	{"tracking_hits", nil},
	{"campaign_test_candidates", []string{"campaign_id", "channel", "variant"}},
}

// rekeyMerge fills the fields the kept customer ($1) lacks from the
// merged one ($2) and keeps the earlier creation and the later update.
func rekeyMerge() string {
	var set []string
	empty := map[string]string{"birth_year": "0", "interests": "'[]'", "tags": "'[]'", "attrs": "'{}'"}
	for _, c := range []string{"name", "email", "phone", "gender", "birth_year", "occupation", "city", "country",
		"address", "time_zone", "language", "interests", "tags", "attrs"} {
		e, ok := empty[c]
		if !ok {
			e = "''"
		}
		set = append(set, fmt.Sprintf("%s = CASE WHEN customers.%s = %s THEN o.%s ELSE customers.%s END", c, c, e, c, c))
	}
	set = append(set, "created_at = CASE WHEN o.created_at < customers.created_at THEN o.created_at ELSE customers.created_at END",
		"updated_at = CASE WHEN o.updated_at > customers.updated_at THEN o.updated_at ELSE customers.updated_at END")
	return `UPDATE customers SET ` + strings.Join(set, ", ") + ` FROM (SELECT * FROM customers WHERE id = $2) AS o WHERE customers.id = $1`
}

// rekeyPhones moves every customer keyed by her phone as written (id equal
// to phone) whose customer.PhoneKey differs to that key, with every row
// naming her. Events keep their dedup keys: a file imported before names
// her the same way again, and its events are recognised as stored.
func rekeyPhones(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, phone FROM customers WHERE phone <> '' AND id = phone ORDER BY id`)
	if err != nil {
		return err
	}
	type move struct{ old, new string }
	var moves []move
	for rows.Next() {
		var id, phone string
		if err := rows.Scan(&id, &phone); err != nil {
			rows.Close()
			return err
		}
		if k := customer.PhoneKey(phone); k != "" && k != id {
			moves = append(moves, move{id, k})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := time.Now().UnixMicro()
	for _, m := range moves {
		if err := rekeyCustomer(ctx, tx, m.old, m.new, now); err != nil {
			return fmt.Errorf("rekey a phone-keyed customer: %w", err)
		}
	}
	return nil
}

// rekeyCustomer moves customer old to id new, merging her into new when
// it exists.
func rekeyCustomer(ctx context.Context, tx *sql.Tx, old, new string, now int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE id = $1`, new).Scan(&n); err != nil {
		return err
	}
	merged := n > 0
	for _, r := range customerRefs {
		if r.unique != nil {
			cond := "x.customer_id = $2"
			for _, c := range r.unique {
				cond += fmt.Sprintf(" AND x.%s = %s.%s", c, r.table, c)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+r.table+` WHERE customer_id = $1 AND EXISTS (SELECT 1 FROM `+r.table+` x WHERE `+cond+`)`, old, new); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+r.table+` SET customer_id = $2 WHERE customer_id = $1`, old, new); err != nil {
			return err
		}
	}
	// a suppression of the customer herself follows her
	if _, err := tx.ExecContext(ctx, `DELETE FROM policy_suppressions WHERE kind = 'customer' AND value = $1
		AND EXISTS (SELECT 1 FROM policy_suppressions x WHERE x.kind = 'customer' AND x.value = $2)`, old, new); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE policy_suppressions SET value = $2 WHERE kind = 'customer' AND value = $1`, old, new); err != nil {
		return err
	}
	if merged {
		if _, err := tx.ExecContext(ctx, rekeyMerge(), new, old); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE id = $1`, old); err != nil {
			return err
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE customers SET id = $2 WHERE id = $1`, old, new); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO customer_rekeys (old_id, new_id, merged, rekeyed_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id, merged = excluded.merged, rekeyed_at = excluded.rekeyed_at`, old, new, merged, now)
	return err
}
