package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/support"
)

// The customer-service tables (migration 0030): knowledge base,
// conversations, messages, hand-offs and feedback.

const kbCols = `id, language, kind, title, body, topic, keywords, sku, source, deleted, updated_at`

func scanKBDoc(sc interface{ Scan(...any) error }) (support.Doc, error) {
	var d support.Doc
	var kw string
	var at int64
	if err := sc.Scan(&d.ID, &d.Language, &d.Kind, &d.Title, &d.Body, &d.Topic, &kw, &d.SKU, &d.Source, &d.Deleted, &at); err != nil {
		return d, err
	}
	d.UpdatedAt = FromMicros(at)
	return d, decodeJSON(kw, &d.Keywords)
}

// UpsertKBDocs inserts or replaces knowledge-base entries in one
// transaction; an entry whose content is unchanged keeps its updated_at,
// so a re-import changes nothing and no index rebuilds for it.
func (s *Store) UpsertKBDocs(ctx context.Context, docs []support.Doc) (c customer.UpsertCounts, err error) {
	defer apperr.Wrapf(&err, "UpsertKBDocs(%d)", len(docs))
	now := time.Now().UTC()
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		c = customer.UpsertCounts{}
		for i, d := range docs {
			old, err := scanKBDoc(tx.QueryRowContext(ctx, `SELECT `+kbCols+` FROM support_kb WHERE id = $1 AND language = $2`, d.ID, d.Language))
			switch {
			case errors.Is(err, sql.ErrNoRows):
				c.Inserted++
			case err != nil:
				return err
			case !old.Deleted && old.Kind == d.Kind && old.Title == d.Title && old.Body == d.Body && old.Topic == d.Topic &&
				jsonText(old.Keywords, "[]") == jsonText(d.Keywords, "[]") && old.SKU == d.SKU:
				c.Unchanged++
				continue
			default:
				c.Updated++
			}
			// distinct microseconds keep "changed since" exact within a batch
			at := now.Add(time.Duration(i) * time.Microsecond)
			if _, err := tx.ExecContext(ctx, `INSERT INTO support_kb (id, language, kind, title, body, topic, keywords, sku, source, deleted, created_at, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11)
				ON CONFLICT (id, language) DO UPDATE SET kind=excluded.kind, title=excluded.title, body=excluded.body, topic=excluded.topic,
				keywords=excluded.keywords, sku=excluded.sku, source=excluded.source, deleted=excluded.deleted, updated_at=excluded.updated_at`,
				d.ID, d.Language, d.Kind, d.Title, d.Body, d.Topic, jsonText(d.Keywords, "[]"), d.SKU, d.Source, false, Micros(at)); err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}

// ListKBDocs returns entries changed at or after since, deleted ones too.
func (s *Store) ListKBDocs(ctx context.Context, since time.Time) (out []support.Doc, err error) {
	defer apperr.Wrapf(&err, "ListKBDocs")
	rows, err := s.db.QueryContext(ctx, `SELECT `+kbCols+` FROM support_kb WHERE updated_at >= $1 ORDER BY id, language`, Micros(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanKBDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// GetKBDoc returns one live entry or NotFound.
func (s *Store) GetKBDoc(ctx context.Context, id, language string) (support.Doc, error) {
	d, err := scanKBDoc(s.db.QueryRowContext(ctx, `SELECT `+kbCols+` FROM support_kb WHERE id = $1 AND language = $2 AND NOT deleted`, id, language))
	if errors.Is(err, sql.ErrNoRows) {
		return d, apperr.New(apperr.NotFound, "no knowledge-base entry %q in %s", id, language)
	}
	if err != nil {
		return d, apperr.Wrap(err, apperr.Internal, "GetKBDoc(%q)", id)
	}
	return d, nil
}

// DeleteKBDoc marks every language of id deleted.
func (s *Store) DeleteKBDoc(ctx context.Context, id string) (n int, err error) {
	defer apperr.Wrapf(&err, "DeleteKBDoc(%q)", id)
	res, err := s.db.ExecContext(ctx, `UPDATE support_kb SET deleted = $1, updated_at = $2 WHERE id = $3 AND NOT deleted`, true, Micros(time.Now()), id)
	if err != nil {
		return 0, err
	}
	k, _ := res.RowsAffected()
	if k == 0 {
		return 0, apperr.New(apperr.NotFound, "no knowledge-base entry %q", id)
	}
	return int(k), nil
}

// ProductsDescribedSince returns products whose descriptive fields changed
// at or after since.
func (s *Store) ProductsDescribedSince(ctx context.Context, since time.Time) (out []catalog.Product, err error) {
	defer apperr.Wrapf(&err, "ProductsDescribedSince")
	err = s.queryProducts(ctx, s.db, `WHERE described_at >= $1`, []any{Micros(since)}, func(p catalog.Product) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// SupportSourceVersion reads the counts and latest changes of the
// searchable sources in one statement (two index probes and two counts).
func (s *Store) SupportSourceVersion(ctx context.Context) (v support.SourceVersion, err error) {
	defer apperr.Wrapf(&err, "SupportSourceVersion")
	var pat, dat int64
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM products), (SELECT COALESCE(MAX(described_at), 0) FROM products),
		(SELECT COUNT(*) FROM support_kb), (SELECT COALESCE(MAX(updated_at), 0) FROM support_kb)`).Scan(&v.Products, &pat, &v.Docs, &dat)
	v.ProductsAt, v.DocsAt = FromMicros(pat), FromMicros(dat)
	return v, err
}

// OrderEvents returns an order's purchase and refund events in time order.
func (s *Store) OrderEvents(ctx context.Context, orderID string) (out []event.Event, err error) {
	defer apperr.Wrapf(&err, "OrderEvents")
	if orderID == "" {
		return nil, apperr.New(apperr.NotFound, "no order id given")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, customer_id, type, sku, quantity, amount, currency, order_id, channel, campaign, occurred_at, properties
		FROM events WHERE order_id = $1 AND order_id <> '' AND type IN ('purchase', 'refund') ORDER BY occurred_at, id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e event.Event
		var cust, props sql.NullString
		var at int64
		if err := rows.Scan(&e.ID, &cust, &e.Type, &e.SKU, &e.Quantity, &e.Amount, &e.Currency, &e.OrderID, &e.Channel, &e.Campaign, &at, &props); err != nil {
			return nil, err
		}
		e.CustomerID, e.OccurredAt = cust.String, FromMicros(at)
		if props.Valid && !emptyObject(props.String) {
			if err := decodeJSON(props.String, &e.Properties); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "no order %q", orderID)
	}
	return out, nil
}

// RecordTurn writes a conversation turn in one transaction: the
// conversation row, both messages and the hand-off entry if any.
func (s *Store) RecordTurn(ctx context.Context, t support.Turn) (ids support.TurnIDs, err error) {
	defer apperr.Wrapf(&err, "RecordTurn")
	c := t.Conversation
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO support_conversations (id, customer_id, language, channel, status, verified_orders, pending_order, misses, script, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
			ON CONFLICT (id) DO UPDATE SET customer_id=excluded.customer_id, language=excluded.language, status=excluded.status,
			verified_orders=excluded.verified_orders, pending_order=excluded.pending_order, misses=excluded.misses, script=excluded.script,
			updated_at=excluded.updated_at`,
			c.ID, c.CustomerID, c.Language, c.Channel, c.Status, jsonText(c.VerifiedOrders, "[]"), c.PendingOrder, c.Misses, c.Script,
			Micros(c.CreatedAt), Micros(c.UpdatedAt)); err != nil {
			return err
		}
		var err error
		if t.Question.Text != "" {
			if ids.Question, err = insertMessage(ctx, tx, c.ID, t.Question); err != nil {
				return err
			}
		}
		if ids.Answer, err = insertMessage(ctx, tx, c.ID, t.Answer); err != nil {
			return err
		}
		if h := t.Handoff; h != nil {
			// one open entry per conversation: a second hand-off while one
			// waits adds nothing to the queue
			var open int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM support_handoffs WHERE conversation_id = $1 AND status <> 'closed'`, c.ID).Scan(&open)
			switch {
			case err == nil:
				ids.Handoff = open
			case errors.Is(err, sql.ErrNoRows):
				err = tx.QueryRowContext(ctx, `INSERT INTO support_handoffs (conversation_id, customer_id, reason, summary, status, language, created_at)
					VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, c.ID, c.CustomerID, h.Reason, h.Summary, support.HandoffQueued, c.Language, Micros(h.CreatedAt)).Scan(&ids.Handoff)
				if err != nil {
					return err
				}
			default:
				return err
			}
		}
		return nil
	})
	return ids, err
}

type execQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func insertMessage(ctx context.Context, tx execQuerier, conv string, m support.Message) (id int64, err error) {
	err = tx.QueryRowContext(ctx, `INSERT INTO support_messages (conversation_id, role, text, intent, citations, tool_calls, handoff, flags, model, author,
		latency_us, prompt_tokens, completion_tokens, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`,
		conv, m.Role, m.Text, m.Intent, jsonText(m.Citations, "[]"), jsonText(m.ToolCalls, "[]"), m.Handoff, jsonText(m.Flags, "[]"), m.Model, m.Author,
		m.LatencyMicros, m.PromptTokens, m.CompletionTokens, Micros(m.CreatedAt)).Scan(&id)
	return id, err
}

const convCols = `id, customer_id, language, channel, status, verified_orders, pending_order, misses, script, created_at, updated_at`

func scanConversation(sc interface{ Scan(...any) error }) (support.Conversation, error) {
	var c support.Conversation
	var vo string
	var created, updated int64
	if err := sc.Scan(&c.ID, &c.CustomerID, &c.Language, &c.Channel, &c.Status, &vo, &c.PendingOrder, &c.Misses, &c.Script, &created, &updated); err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = FromMicros(created), FromMicros(updated)
	return c, decodeJSON(vo, &c.VerifiedOrders)
}

// GetConversation returns one conversation or NotFound.
func (s *Store) GetConversation(ctx context.Context, id string) (support.Conversation, error) {
	c, err := scanConversation(s.db.QueryRowContext(ctx, `SELECT `+convCols+` FROM support_conversations WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.New(apperr.NotFound, "no conversation %q", id)
	}
	if err != nil {
		return c, apperr.Wrap(err, apperr.Internal, "GetConversation")
	}
	return c, nil
}

const msgCols = `id, conversation_id, role, text, intent, citations, tool_calls, handoff, flags, model, author, latency_us, prompt_tokens, completion_tokens, created_at`

func scanMessage(sc interface{ Scan(...any) error }) (support.Message, error) {
	var m support.Message
	var cites, tools, flags string
	var at int64
	if err := sc.Scan(&m.ID, &m.ConversationID, &m.Role, &m.Text, &m.Intent, &cites, &tools, &m.Handoff, &flags, &m.Model, &m.Author,
		&m.LatencyMicros, &m.PromptTokens, &m.CompletionTokens, &at); err != nil {
		return m, err
	}
	m.CreatedAt = FromMicros(at)
	return m, errors.Join(decodeJSON(cites, &m.Citations), decodeJSON(tools, &m.ToolCalls), decodeJSON(flags, &m.Flags))
}

// ConversationMessages returns a conversation's messages in order, or
// NotFound for an unknown conversation.
func (s *Store) ConversationMessages(ctx context.Context, id string) (out []support.Message, err error) {
	if _, err := s.GetConversation(ctx, id); err != nil {
		return nil, err
	}
	defer apperr.Wrapf(&err, "ConversationMessages")
	rows, err := s.db.QueryContext(ctx, `SELECT `+msgCols+` FROM support_messages WHERE conversation_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetVerifiedOrders records the orders a customer proved are hers.
func (s *Store) SetVerifiedOrders(ctx context.Context, conv string, orders []string) (err error) {
	defer apperr.Wrapf(&err, "SetVerifiedOrders")
	res, err := s.db.ExecContext(ctx, `UPDATE support_conversations SET verified_orders = $1, updated_at = $2 WHERE id = $3`,
		jsonText(orders, "[]"), Micros(time.Now()), conv)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "no conversation %q", conv)
	}
	return nil
}

const handoffCols = `id, conversation_id, customer_id, reason, summary, status, assignee, language, resolution, created_at, taken_at, closed_at`

func scanHandoff(sc interface{ Scan(...any) error }) (support.Handoff, error) {
	var h support.Handoff
	var created, taken, closed int64
	err := sc.Scan(&h.ID, &h.ConversationID, &h.CustomerID, &h.Reason, &h.Summary, &h.Status, &h.Assignee, &h.Language, &h.Resolution, &created, &taken, &closed)
	h.CreatedAt, h.TakenAt, h.ClosedAt = FromMicros(created), FromMicros(taken), FromMicros(closed)
	return h, err
}

// ListHandoffs returns queue entries oldest first.
func (s *Store) ListHandoffs(ctx context.Context, f support.HandoffFilter) (out []support.Handoff, err error) {
	defer apperr.Wrapf(&err, "ListHandoffs")
	q := `SELECT ` + handoffCols + ` FROM support_handoffs WHERE ($1 = '' OR status = $1) AND ($2 = '' OR assignee = $2)
		AND ($3 = '' OR conversation_id = $3) ORDER BY created_at, id`
	args := []any{f.Status, f.Assignee, f.ConversationID}
	if f.Limit > 0 {
		q += ` LIMIT $4`
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// GetHandoff returns one entry or NotFound.
func (s *Store) GetHandoff(ctx context.Context, id int64) (support.Handoff, error) {
	return getHandoff(ctx, s.db, id)
}

func getHandoff(ctx context.Context, q execQuerier, id int64) (support.Handoff, error) {
	h, err := scanHandoff(q.QueryRowContext(ctx, `SELECT `+handoffCols+` FROM support_handoffs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, apperr.New(apperr.NotFound, "no hand-off #%d", id)
	}
	if err != nil {
		return h, apperr.Wrap(err, apperr.Internal, "GetHandoff(%d)", id)
	}
	return h, nil
}

// TakeHandoff assigns a queued entry (or one already the assignee's). The
// conditional UPDATE makes two people taking one entry at once safe on
// both engines: one gets it, the other a Conflict.
func (s *Store) TakeHandoff(ctx context.Context, id int64, assignee string, at time.Time) (h support.Handoff, err error) {
	if assignee == "" {
		return h, apperr.New(apperr.Invalid, "say who takes the hand-off (--as NAME)")
	}
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE support_handoffs SET status = $1, assignee = $2, taken_at = $3
			WHERE id = $4 AND (status = $5 OR (status = $1 AND assignee = $2))`, support.HandoffTaken, assignee, Micros(at), id, support.HandoffQueued)
		if err != nil {
			return apperr.Wrap(err, apperr.Internal, "TakeHandoff(%d)", id)
		}
		if h, err = getHandoff(ctx, tx, id); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if h.Status == support.HandoffClosed {
				return apperr.New(apperr.Conflict, "hand-off #%d is closed", id)
			}
			return apperr.New(apperr.Conflict, "hand-off #%d is already taken by %s", id, h.Assignee)
		}
		return nil
	})
	return h, err
}

// ReplyHandoff stores an agent's message in the entry's conversation.
func (s *Store) ReplyHandoff(ctx context.Context, id int64, m support.Message) (support.Message, error) {
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		h, err := getHandoff(ctx, tx, id)
		if err != nil {
			return err
		}
		if h.Status == support.HandoffClosed {
			return apperr.New(apperr.Conflict, "hand-off #%d is closed; reopen the conversation by answering the customer's next message", id)
		}
		if h.Status == support.HandoffTaken && m.Author != "" && h.Assignee != m.Author {
			return apperr.New(apperr.Conflict, "hand-off #%d is taken by %s", id, h.Assignee)
		}
		m.ConversationID, m.Role = h.ConversationID, support.RoleAgent
		if m.ID, err = insertMessage(ctx, tx, h.ConversationID, m); err != nil {
			return apperr.Wrap(err, apperr.Internal, "ReplyHandoff(%d)", id)
		}
		_, err = tx.ExecContext(ctx, `UPDATE support_conversations SET updated_at = $1 WHERE id = $2`, Micros(m.CreatedAt), h.ConversationID)
		return err
	})
	return m, err
}

// CloseHandoff closes an entry and its conversation.
func (s *Store) CloseHandoff(ctx context.Context, id int64, resolution string, at time.Time) (h support.Handoff, err error) {
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE support_handoffs SET status = $1, resolution = $2, closed_at = $3 WHERE id = $4 AND status <> $1`,
			support.HandoffClosed, resolution, Micros(at), id)
		if err != nil {
			return apperr.Wrap(err, apperr.Internal, "CloseHandoff(%d)", id)
		}
		if h, err = getHandoff(ctx, tx, id); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "hand-off #%d is already closed", id)
		}
		_, err = tx.ExecContext(ctx, `UPDATE support_conversations SET status = $1, updated_at = $2 WHERE id = $3`, support.ConvClosed, Micros(at), h.ConversationID)
		return err
	})
	return h, err
}

// PutFeedback records or replaces the rating of an answer; the message
// must be an assistant's or an agent's answer.
func (s *Store) PutFeedback(ctx context.Context, f support.Feedback) (err error) {
	if f.Thumb < -1 || f.Thumb > 1 || f.CSAT < 0 || f.CSAT > 5 {
		return apperr.New(apperr.Invalid, "feedback is 👍 (+1) or 👎 (-1) and a CSAT of 1 to 5")
	}
	var role string
	err = s.db.QueryRowContext(ctx, `SELECT role FROM support_messages WHERE id = $1`, f.MessageID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "no message #%d", f.MessageID)
	}
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, "PutFeedback")
	}
	if role == support.RoleCustomer {
		return apperr.New(apperr.Invalid, "message #%d is the customer's own; rate an answer", f.MessageID)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO support_feedback (message_id, thumb, csat, comment, at) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT (message_id) DO UPDATE SET thumb=excluded.thumb, csat=excluded.csat, comment=excluded.comment, at=excluded.at`,
		f.MessageID, f.Thumb, f.CSAT, f.Comment, Micros(f.At))
	return apperr.Wrap(err, apperr.Internal, "PutFeedback")
}

// ScanSupport visits the answers created in [since, until) with their
// feedback and conversation, oldest first.
func (s *Store) ScanSupport(ctx context.Context, since, until time.Time, fn func(support.Message, *support.Feedback, support.Conversation) error) (err error) {
	defer apperr.Wrapf(&err, "ScanSupport")
	rows, err := s.db.QueryContext(ctx, `SELECT m.id, m.conversation_id, m.role, m.text, m.intent, m.citations, m.tool_calls, m.handoff, m.flags, m.model, m.author,
		m.latency_us, m.prompt_tokens, m.completion_tokens, m.created_at,
		f.message_id, f.thumb, f.csat, f.comment, f.at,
		c.id, c.customer_id, c.language, c.channel, c.status, c.verified_orders, c.pending_order, c.created_at, c.updated_at
		FROM support_messages m JOIN support_conversations c ON c.id = m.conversation_id
		LEFT JOIN support_feedback f ON f.message_id = m.id
		WHERE m.role <> 'customer' AND m.created_at >= $1 AND m.created_at < $2 ORDER BY m.created_at, m.id`, Micros(since), Micros(until))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m support.Message
		var c support.Conversation
		var cites, tools, flags, vo string
		var at, created, updated int64
		var fid, thumb, csat, fat sql.NullInt64
		var comment sql.NullString
		if err := rows.Scan(&m.ID, &m.ConversationID, &m.Role, &m.Text, &m.Intent, &cites, &tools, &m.Handoff, &flags, &m.Model, &m.Author,
			&m.LatencyMicros, &m.PromptTokens, &m.CompletionTokens, &at, &fid, &thumb, &csat, &comment, &fat,
			&c.ID, &c.CustomerID, &c.Language, &c.Channel, &c.Status, &vo, &c.PendingOrder, &created, &updated); err != nil {
			return err
		}
		m.CreatedAt, c.CreatedAt, c.UpdatedAt = FromMicros(at), FromMicros(created), FromMicros(updated)
		if err := errors.Join(decodeJSON(cites, &m.Citations), decodeJSON(tools, &m.ToolCalls), decodeJSON(flags, &m.Flags), decodeJSON(vo, &c.VerifiedOrders)); err != nil {
			return err
		}
		var fb *support.Feedback
		if fid.Valid {
			fb = &support.Feedback{MessageID: fid.Int64, Thumb: int(thumb.Int64), CSAT: int(csat.Int64), Comment: comment.String, At: FromMicros(fat.Int64)}
		}
		if err := fn(m, fb, c); err != nil {
			return err
		}
	}
	return rows.Err()
}
