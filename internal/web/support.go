package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/support"
)

// inboxRows bounds the support inbox's list.
const inboxRows = 200

type inboxView struct {
	Status   string // the filter: open, queued, taken, closed
	Statuses []string
	Items    []support.InboxItem
	More     bool
}

type handoffView struct {
	Handoff   support.Handoff
	Thread    support.Thread
	Messages  []messageView
	CanAnswer bool   // the role may take, reply and resolve
	Mine      bool   // taken by the signed-in person
	Other     string // taken by someone else: their name
	Sent      string // a notice after a POST (a catalogue key)
}

type messageView struct {
	support.Message
	Person bool // written by a person of the shop
}

// Support lists the hand-off queue (?status=open, the default, or
// queued, taken, closed) with each conversation's state.
func (c *Console) Support(w http.ResponseWriter, r *http.Request) error {
	in, err := c.inbox()
	if err != nil {
		return err
	}
	v := inboxView{Status: strings.TrimSpace(r.URL.Query().Get("status")),
		Statuses: []string{support.HandoffOpen, support.HandoffQueued, support.HandoffTaken, support.HandoffClosed}}
	if v.Status == "" {
		v.Status = support.HandoffOpen
	}
	items, err := in.List(r.Context(), support.HandoffFilter{Status: v.Status})
	if err != nil {
		return err
	}
	if len(items) > inboxRows {
		// the oldest waiting come first; show those
		items, v.More = items[:inboxRows], true
	}
	v.Items = items
	return c.Render(w, r, "support", "nav.support", v)
}

// SupportHandoff shows one hand-off's conversation, its messages with
// their citations and flags, and (for a role allowed to answer) the
// forms to take, reply and resolve.
func (c *Console) SupportHandoff(w http.ResponseWriter, r *http.Request) error {
	v, err := c.handoffView(r)
	if err != nil {
		return err
	}
	v.Sent = sentNotice(r.URL.Query().Get("done"))
	return c.Render(w, r, "support_handoff", "nav.support", v)
}

// SupportTake assigns the hand-off to the signed-in person.
func (c *Console) SupportTake(w http.ResponseWriter, r *http.Request) error {
	return c.supportAct(w, r, "taken", func(in *support.Inbox, id int64, who string) error {
		_, err := in.Take(r.Context(), id, who)
		return err
	})
}

// SupportReply answers the customer as the signed-in person (stored
// redacted, as every text is).
func (c *Console) SupportReply(w http.ResponseWriter, r *http.Request) error {
	return c.supportAct(w, r, "replied", func(in *support.Inbox, id int64, who string) error {
		_, err := in.Reply(r.Context(), id, who, r.PostFormValue("text"))
		return err
	})
}

// SupportResolve closes the hand-off; the conversation goes back to the
// assistant.
func (c *Console) SupportResolve(w http.ResponseWriter, r *http.Request) error {
	return c.supportAct(w, r, "resolved", func(in *support.Inbox, id int64, who string) error {
		_, err := in.Resolve(r.Context(), id, who, r.PostFormValue("resolution"))
		return err
	})
}

// supportAct runs one Inbox change as the signed-in person and sends the
// browser back to the hand-off's page (post, redirect, get).
func (c *Console) supportAct(w http.ResponseWriter, r *http.Request, done string, act func(*support.Inbox, int64, string) error) error {
	in, err := c.inbox()
	if err != nil {
		return err
	}
	id, err := handoffIDOf(r)
	if err != nil {
		return err
	}
	p, ok := auth.PrincipalFrom(r.Context())
	if !ok {
		return apperr.New(apperr.Unauthenticated, "sign in first")
	}
	if err := act(in, id, p.Name); err != nil {
		return err
	}
	http.Redirect(w, r, "/support/handoffs/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}

func (c *Console) handoffView(r *http.Request) (handoffView, error) {
	in, err := c.inbox()
	if err != nil {
		return handoffView{}, err
	}
	id, err := handoffIDOf(r)
	if err != nil {
		return handoffView{}, err
	}
	h, err := in.Get(r.Context(), id)
	if err != nil {
		return handoffView{}, err
	}
	th, err := in.Thread(r.Context(), h.ConversationID)
	if err != nil {
		return handoffView{}, err
	}
	v := handoffView{Handoff: h, Thread: th}
	for _, m := range th.Messages {
		v.Messages = append(v.Messages, messageView{Message: m, Person: m.Role == support.RoleAgent})
	}
	if p, ok := auth.PrincipalFrom(r.Context()); ok {
		v.CanAnswer = p.Can(auth.AnswerSupport)
		if h.Status == support.HandoffTaken {
			v.Mine = h.Assignee == p.Name
			if !v.Mine {
				v.Other = h.Assignee
			}
		}
	}
	return v, nil
}

func (c *Console) inbox() (*support.Inbox, error) {
	if c.deps.App == nil || c.deps.App.Inbox == nil {
		return nil, apperr.New(apperr.Unavailable, "the support inbox is not set up on this server")
	}
	return c.deps.App.Inbox, nil
}

func handoffIDOf(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "no hand-off %q", s)
	}
	return id, nil
}

// sentNotice is the catalogue key of the notice after a change, or ""
// for an unknown one (the query is the browser's, not ours).
func sentNotice(done string) string {
	switch done {
	case "taken", "replied", "resolved":
		return "support.done." + done
	}
	return ""
}
