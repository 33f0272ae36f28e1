package support

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// ChatStore is what a terminal chat reads and writes besides the
// assistant: a person's replies from the queue, and ratings.
type ChatStore interface {
	ConversationMessages(ctx context.Context, conversationID string) ([]Message, error)
	PutFeedback(ctx context.Context, f Feedback) error
}

// Chat is an interactive session with the assistant over a terminal
// (`chorus support chat`): a line in is a message, /good, /bad and /csat N
// rate the last answer, /new starts a conversation, /quit leaves.
type Chat struct {
	Assistant *Assistant
	Store     ChatStore
	In        io.Reader
	Out       io.Writer

	req        Request
	last, seen int64 // the answer /good rates; the last message shown
}

// Run chats as req's customer, in req's language, until /quit or the end
// of the input.
func (c *Chat) Run(ctx context.Context, req Request) error {
	c.req = req
	fmt.Fprintln(c.Out, "Chorus support — 输入问题后回车；/quit 退出，/good /bad /csat N 评价上一条回答。")
	in := bufio.NewScanner(c.In)
	for {
		fmt.Fprint(c.Out, "> ")
		if !in.Scan() {
			fmt.Fprintln(c.Out)
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		if err := c.showAgentReplies(ctx); err != nil {
			return err
		}
		var err error
		switch {
		case line == "":
		case line == "/quit" || line == "/exit":
			return nil
		case line == "/new":
			c.req.ConversationID, c.last = "", 0
			fmt.Fprintln(c.Out, "(new conversation)")
		case line == "/good" || line == "/bad" || strings.HasPrefix(line, "/csat"):
			err = c.rate(ctx, line)
		default:
			err = c.answer(ctx, line)
		}
		if err != nil {
			return err
		}
	}
}

// showAgentReplies prints what a person answered from the queue since.
func (c *Chat) showAgentReplies(ctx context.Context) error {
	if c.req.ConversationID == "" {
		return nil
	}
	ms, err := c.Store.ConversationMessages(ctx, c.req.ConversationID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.ID > c.seen && m.Role == RoleAgent {
			who := m.Author
			if who == "" {
				who = "agent"
			}
			fmt.Fprintf(c.Out, "  [%s] %s\n", who, m.Text)
			c.last = m.ID
		}
		c.seen = max(c.seen, m.ID)
	}
	return nil
}

// rate records /good, /bad or /csat N for the last answer.
func (c *Chat) rate(ctx context.Context, line string) error {
	if c.last == 0 {
		fmt.Fprintln(c.Out, "(no answer to rate yet)")
		return nil
	}
	f := Feedback{MessageID: c.last, At: time.Now().UTC()}
	switch line {
	case "/good":
		f.Thumb = 1
	case "/bad":
		f.Thumb = -1
	default:
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "/csat")))
		if err != nil || n < 1 || n > 5 {
			fmt.Fprintln(c.Out, "(CSAT is 1 to 5, e.g. /csat 4)")
			return nil
		}
		f.CSAT = n
	}
	if err := c.Store.PutFeedback(ctx, f); err != nil {
		return err
	}
	fmt.Fprintln(c.Out, "(thanks, recorded)")
	return nil
}

// answer streams the assistant's answer to line.
func (c *Chat) answer(ctx context.Context, line string) error {
	req := c.req
	req.Text = line
	r, err := c.Assistant.Answer(ctx, req, func(e Event) error {
		if e.Type == EventToken {
			_, err := io.WriteString(c.Out, e.Text)
			return err
		}
		return nil
	})
	if apperr.Is(err, apperr.Invalid) {
		fmt.Fprintln(c.Out, "\n(", err, ")")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Out)
	c.req.ConversationID, c.last, c.seen = r.ConversationID, r.MessageID, r.MessageID
	if r.Handoff {
		fmt.Fprintf(c.Out, "  — handed off to a person (#%d); they will reply in this conversation (%s)\n", r.HandoffID, r.ConversationID)
	}
	return nil
}
