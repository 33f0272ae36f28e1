package app

import (
	"context"
	"io"
	"time"

	"github.com/chorusmkt/chorus/internal/support"
)

// The customer-service operations of the CLI's chorus ask, kb and support
// over the application's store: each opens what it needs (the assistant,
// a search index) and closes it.

// withAssistant runs fn with the support assistant, its conversations
// kept by rec (nil: the store).
func (a *App) withAssistant(ctx context.Context, rec support.Recorder, fn func(*support.Assistant) error) error {
	as, done, err := a.Support(ctx, rec)
	if err != nil {
		return err
	}
	defer done()
	return fn(as)
}

// Ask answers one customer message with the support assistant; the
// conversation is stored.
func (a *App) Ask(ctx context.Context, req support.Request) (r support.Reply, err error) {
	err = a.withAssistant(ctx, nil, func(as *support.Assistant) error {
		r, err = as.Answer(ctx, req, nil)
		return err
	})
	return r, err
}

// SupportChat talks with the assistant as req's customer on in and out
// until /quit or the end of in.
func (a *App) SupportChat(ctx context.Context, req support.Request, in io.Reader, out io.Writer) error {
	return a.withAssistant(ctx, nil, func(as *support.Assistant) error {
		return (&support.Chat{Assistant: as, Store: a.Store, In: in, Out: out}).Run(ctx, req)
	})
}

// EvalSupport runs the evaluation cases through the assistant, keeping
// its conversations in memory (nothing is stored); progress is told the
// cases done.
func (a *App) EvalSupport(ctx context.Context, cases []support.EvalCase, progress func(done int)) (rep support.EvalReport, err error) {
	err = a.withAssistant(ctx, support.NewMemoryRecorder(), func(as *support.Assistant) error {
		rep, err = support.Evaluate(ctx, as, cases, progress)
		return err
	})
	return rep, err
}

// Transcript is a conversation's messages as stored (redacted).
func (a *App) Transcript(ctx context.Context, conversation string) (support.Transcript, error) {
	return a.Store.ConversationMessages(ctx, conversation)
}

// Feedback records a person's rating of one answer (support.ParseFeedback
// checks it).
func (a *App) Feedback(ctx context.Context, f support.Feedback) error {
	return a.Inbox.RecordFeedback(ctx, f)
}

// SupportFigures are the assistant's figures over [since, until):
// deflection, CSAT, answers per day.
func (a *App) SupportFigures(ctx context.Context, since, until time.Time) (support.Figures, error) {
	return support.ComputeFigures(ctx, a.Store, since, until)
}

// ImportKB imports knowledge-base files (Markdown, CSV, JSONL): a report
// per file.
func (a *App) ImportKB(ctx context.Context, paths []string, o support.ParseOptions) (support.ImportReports, error) {
	return support.ImportFiles(ctx, a.Store, paths, o)
}

// KBDocs are the knowledge base's live entries in lang ("": every one).
func (a *App) KBDocs(ctx context.Context, lang string) (support.Docs, error) {
	docs, err := a.Store.ListKBDocs(ctx, time.Time{})
	return support.LiveDocs(docs, lang), err
}

// DeleteKB deletes entry id in every language and returns how many.
// Errors: NotFound for an unknown id.
func (a *App) DeleteKB(ctx context.Context, id string) (int, error) {
	return a.Store.DeleteKBDoc(ctx, id)
}

// SearchKB searches the knowledge base (an index built from the store)
// for query: the passages, best first, never nil.
func (a *App) SearchKB(ctx context.Context, query string, o support.SearchOptions) (support.Passages, error) {
	ix, err := support.NewIndex()
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, a.Store); err != nil {
		return nil, err
	}
	hits, err := ix.Search(ctx, query, o)
	if hits == nil {
		hits = []support.Passage{}
	}
	return hits, err
}
