package httpapi

import (
	"net/http"

	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/support"
)

// The OpenAPI entries of the support routes (support.go), which routes.go
// registers with mux.Handle: their request types are the handlers' own.

type supportHandoffsReq struct {
	Status string `query:"status" enum:"queued,taken,closed"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500"`
}

type supportIDReq struct {
	ID int64 `path:"id"`
}

type supportReplyReq struct {
	ID int64 `path:"id"`
	supportReplyBody
}

type supportResolveReq struct {
	ID int64 `path:"id"`
	supportResolveBody
}

type supportConversationReq struct {
	ID string `path:"id"`
}

// HandoffList is the hand-off queue.
type HandoffList struct {
	Handoffs []support.InboxItem `json:"handoffs"`
}

// HandoffDetail is one hand-off and its conversation.
type HandoffDetail struct {
	Handoff support.Handoff `json:"handoff"`
	Thread  support.Thread  `json:"thread"`
}

type noContent struct{}

func (s *Server) documentSupport() {
	const get, post = http.MethodGet, http.MethodPost
	for _, rt := range []apiRoute{
		{Method: post, Path: "/v1/support/messages", Tag: "support", Summary: "A customer's message: the assistant's reply as JSON, or as server-sent events with Accept: text/event-stream (public, rate-limited)",
			Req: new(supportMessageBody), Resp: new(support.Reply)},
		{Method: post, Path: "/v1/support/feedback", Tag: "support", Summary: "Rate an answer of the caller's conversation (public, rate-limited)",
			Req: new(supportFeedbackBody), Resp: new(noContent), Status: http.StatusNoContent},
		{Method: get, Path: "/v1/support/handoffs", Action: auth.Read, Tag: "support", Summary: "The hand-off queue", Req: new(supportHandoffsReq), Resp: new(HandoffList)},
		{Method: get, Path: "/v1/support/handoffs/{id}", Action: auth.Read, Tag: "support", Summary: "A hand-off and its conversation", Req: new(supportIDReq), Resp: new(HandoffDetail)},
		{Method: post, Path: "/v1/support/handoffs/{id}/reply", Action: auth.AnswerSupport, Tag: "support", Summary: "Answer the customer as the signed-in person",
			Req: new(supportReplyReq), Resp: new(support.Message), Status: http.StatusCreated},
		{Method: post, Path: "/v1/support/handoffs/{id}/resolve", Action: auth.AnswerSupport, Tag: "support", Summary: "Close a hand-off",
			Req: new(supportResolveReq), Resp: new(support.Handoff)},
		{Method: get, Path: "/v1/support/conversations/{id}", Action: auth.Read, Tag: "support", Summary: "A conversation's thread", Req: new(supportConversationReq), Resp: new(support.Thread)},
	} {
		s.document(rt)
	}
}
