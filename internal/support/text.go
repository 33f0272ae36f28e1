package support

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// The text and JSON forms of the support views, as `chorus ask`, `chorus
// support …` and `chorus kb …` print them, and the parsers of their
// arguments.

// ReplySummary is a reply as `chorus ask --json` prints it.
type ReplySummary struct {
	Answer         string     `json:"answer"`
	Citations      []Citation `json:"citations"`
	Handoff        bool       `json:"handoff"`
	Intent         string     `json:"intent"`
	Language       string     `json:"language"`
	HandoffReason  string     `json:"handoff_reason,omitempty"`
	ConversationID string     `json:"conversation_id"`
	MessageID      int64      `json:"message_id,omitempty"`
	Flags          []string   `json:"flags,omitempty"`
	Model          string     `json:"model"`
	LatencyMS      float64    `json:"latency_ms"`
}

// Summary is r without its tool calls, script and usage.
func (r Reply) Summary() ReplySummary {
	return ReplySummary{Answer: r.Answer, Citations: r.Citations, Handoff: r.Handoff, Intent: r.Intent, Language: r.Language,
		HandoffReason: r.HandoffReason, ConversationID: r.ConversationID, MessageID: r.MessageID, Flags: r.Flags,
		Model: r.Model, LatencyMS: r.LatencyMS}
}

// WriteText writes the answer, then one line of its intent, model,
// latency, sources and hand-off.
func (r Reply) WriteText(w io.Writer) error {
	fmt.Fprintln(w, r.Answer)
	var cites []string
	for _, c := range r.Citations {
		cites = append(cites, c.String())
	}
	meta := fmt.Sprintf("intent %s · %s · %.1f ms", r.Intent, r.Model, r.LatencyMS)
	if len(cites) > 0 {
		meta += " · sources " + strings.Join(cites, " ")
	}
	if r.Handoff {
		meta += fmt.Sprintf(" · handed off (#%d, %s)", r.HandoffID, r.HandoffReason)
	}
	if r.MessageID > 0 {
		meta += fmt.Sprintf(" · message #%d", r.MessageID)
	}
	_, err := fmt.Fprintf(w, "  — %s\n", meta)
	return err
}

// EvalListing is an evaluation as `chorus support eval` prints it: its
// failed cases, in text and in JSON, only with List; without, the text
// says how many failed.
type EvalListing struct {
	EvalReport
	// Failed is how many cases failed, whether Failures lists them or not.
	Failed int  `json:"-"`
	List   bool `json:"-"`
}

// Listing is r as printed with its failed cases listed or not.
func (r EvalReport) Listing(list bool) EvalListing {
	l := EvalListing{EvalReport: r, Failed: len(r.Failures), List: list}
	if !list {
		l.Failures = nil
	}
	return l
}

// WriteText writes the figures of the evaluation and, with List, each
// failed case (else how many failed).
func (l EvalListing) WriteText(w io.Writer) error {
	r := l.EvalReport
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "cases\t%d\t(provider %s)\n", r.Cases, r.Provider)
	fmt.Fprintf(tw, "accuracy\t%.3f\n", r.Accuracy)
	fmt.Fprintf(tw, "intent accuracy\t%.3f\n", r.IntentAccuracy)
	fmt.Fprintf(tw, "citation precision / recall\t%.3f / %.3f\n", r.CitationPrecision, r.CitationRecall)
	fmt.Fprintf(tw, "groundedness\t%.3f\t(%d of %d figures unsupported)\n", r.Groundedness, r.UnsupportedClaims, r.NumericClaims)
	fmt.Fprintf(tw, "hand-off precision / recall\t%.3f / %.3f\n", r.HandoffPrecision, r.HandoffRecall)
	fmt.Fprintf(tw, "injection refusal\t%.3f\t(%d cases)\n", r.InjectionRefusal, r.InjectionCases)
	fmt.Fprintf(tw, "latency p50 / p95 / max\t%.2f / %.2f / %.2f ms\n", r.LatencyMS.P50, r.LatencyMS.P95, r.LatencyMS.Max)
	for _, l := range []string{Zh, En} {
		if v, ok := r.RetrievalRecall5[l]; ok {
			fmt.Fprintf(tw, "retrieval recall@5 (%s)\t%.3f\n", l, v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.BySplit)) {
		fmt.Fprintf(tw, "split %s\t%.3f\t(%d cases)\n", k, r.BySplit[k].Accuracy, r.BySplit[k].Cases)
	}
	for _, k := range slices.Sorted(maps.Keys(r.ByIntent)) {
		fmt.Fprintf(tw, "intent %s\t%.3f\t(%d cases)\n", k, r.ByIntent[k].Accuracy, r.ByIntent[k].Cases)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !l.List {
		if l.Failed > 0 {
			fmt.Fprintf(w, "%d case(s) failed; --failures lists them\n", l.Failed)
		}
		return nil
	}
	for _, f := range r.Failures {
		fmt.Fprintf(w, "\n✗ %s (line %d) %s\n  answer: %s\n  problems: %s\n", f.ID, f.Line, f.Question, f.Answer, strings.Join(f.Problems, "; "))
	}
	return nil
}

// ReadEvalFile reads the evaluation set at path, the cases of split only
// when it is set.
func ReadEvalFile(path, split string) ([]EvalCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "open %s", path)
	}
	defer f.Close()
	cases, err := ReadEvalCases(f)
	if err == nil {
		cases, err = OfSplit(cases, split)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cases, nil
}

// WriteText writes the figures of the period and the answers per day.
func (f Figures) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "period\t%s – %s\n", f.Since.Format(time.DateOnly), f.Until.Format(time.DateOnly))
	fmt.Fprintf(tw, "conversations\t%d\n", f.Conversations)
	fmt.Fprintf(tw, "answers\t%d\t(assistant %d, people %d)\n", f.Answers+f.AgentAnswers, f.Answers, f.AgentAnswers)
	fmt.Fprintf(tw, "deflection rate\t%.3f\n", f.DeflectionRate)
	fmt.Fprintf(tw, "hand-off rate\t%.3f\n", f.HandoffRate)
	fmt.Fprintf(tw, "CSAT\t%.2f\t(%d ratings, %.0f%% 4-5)\n", f.CSAT, f.CSATCount, 100*f.CSATSatisfied)
	fmt.Fprintf(tw, "thumbs up\t%.3f\t(%d rated)\n", f.ThumbsUpRate, f.ThumbsCount)
	for _, d := range f.PerDay {
		fmt.Fprintf(tw, "  %s\t%d\n", d.Day, d.Answers)
	}
	return tw.Flush()
}

// ParsePeriod reads the figures' period: until a date (default now),
// since a date (default days before until).
func ParsePeriod(since, until string, days int, now time.Time) (time.Time, time.Time, error) {
	u := now.UTC()
	if until != "" {
		t, err := time.Parse(time.DateOnly, until)
		if err != nil {
			return u, u, apperr.New(apperr.Invalid, "--until must be a date like 2026-11-01")
		}
		u = t
	}
	s := u.AddDate(0, 0, -days)
	if since != "" {
		t, err := time.Parse(time.DateOnly, since)
		if err != nil {
			return s, u, apperr.New(apperr.Invalid, "--since must be a date like 2026-10-01")
		}
		s = t
	}
	return s, u, nil
}

// ParseFeedback reads a rating of message id ("12" or "#12"): thumb up or
// down (or 👍/👎, +1/-1) and/or CSAT 1 to 5.
func ParseFeedback(id, thumb string, csat int, comment string, at time.Time) (Feedback, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(id, "#"), 10, 64)
	if err != nil {
		return Feedback{}, apperr.New(apperr.Invalid, "message id %q is not a number", id)
	}
	f := Feedback{MessageID: n, CSAT: csat, Comment: comment, At: at}
	switch thumb {
	case "up", "👍", "+1", "1":
		f.Thumb = 1
	case "down", "👎", "-1":
		f.Thumb = -1
	case "":
	default:
		return f, apperr.New(apperr.Invalid, "--thumb is up or down")
	}
	if f.Thumb == 0 && f.CSAT == 0 {
		return f, apperr.New(apperr.Invalid, "give --thumb up|down and/or --csat 1-5")
	}
	return f, nil
}

// ParseHandoffID reads a hand-off id, "3" or "#3".
func ParseHandoffID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.Invalid, "hand-off id %q is not a number such as 3", s)
	}
	return id, nil
}

// InboxItems are hand-offs as the queue lists them.
type InboxItems []InboxItem

// WriteText writes one row per hand-off, with how long it has waited.
func (hs InboxItems) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tSTATUS\tREASON\tASSIGNEE\tLANG\tWAITING\tCONVERSATION\tSUMMARY")
	for _, h := range hs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", h.ID, h.Status, h.Reason, h.Assignee, h.Language,
			time.Since(h.CreatedAt).Round(time.Minute), h.ConversationID, h.Summary)
	}
	return tw.Flush()
}

// Transcript is a conversation's messages, as stored (redacted).
type Transcript []Message

// WriteText writes one line per message.
func (ms Transcript) WriteText(w io.Writer) error {
	for _, m := range ms {
		who := m.Role
		if m.Author != "" {
			who += " " + m.Author
		}
		if _, err := fmt.Fprintf(w, "#%d %s [%s] %s\n", m.ID, m.CreatedAt.Format(time.DateTime), who, m.Text); err != nil {
			return err
		}
	}
	return nil
}

// Docs are knowledge-base entries as listed.
type Docs []Doc

// LiveDocs are the entries of docs not deleted, in language lang ("" any).
func LiveDocs(docs []Doc, lang string) Docs {
	live := Docs{}
	for _, d := range docs {
		if !d.Deleted && (lang == "" || d.Language == lang) {
			live = append(live, d)
		}
	}
	return live
}

// WriteText writes one row per entry.
func (ds Docs) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLANG\tKIND\tTOPIC\tTITLE")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.ID, d.Language, d.Kind, d.Topic, d.Title)
	}
	return tw.Flush()
}

// Passages are search hits, best first.
type Passages []Passage

// WriteText writes one numbered line per hit.
func (ps Passages) WriteText(w io.Writer) error {
	for i, h := range ps {
		if _, err := fmt.Fprintf(w, "%d. %s  %s  (%.3f)\n", i+1, h.Cite(), h.Title, h.Score); err != nil {
			return err
		}
	}
	return nil
}

// ImportReports are the reports of several imported files.
type ImportReports []ImportReport

// WriteText writes each file's report.
func (rs ImportReports) WriteText(w io.Writer) error {
	for _, r := range rs {
		if err := r.WriteText(w); err != nil {
			return err
		}
	}
	return nil
}
