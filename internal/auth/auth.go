// Package auth decides who may do what: API tokens with scopes, console
// users with roles, their sessions, and the audit log of what they did.
//
// This file is the contract the HTTP layer (internal/httpapi, the API and
// the console) and the CLI agree on. The service that issues and checks
// tokens, passwords and sessions lives beside it (service.go).
package auth

import (
	"context"
	"time"
)

// Role is a console user's role.
type Role string

// The roles, least privilege first.
const (
	Analyst  Role = "analyst"  // reads everything, changes nothing
	Reviewer Role = "reviewer" // approves or rejects copy
	Marketer Role = "marketer" // segments, generate, launch
	Admin    Role = "admin"    // everything, users, tokens and settings
)

// Roles are the valid roles.
var Roles = []Role{Analyst, Reviewer, Marketer, Admin}

// Scope is an API token's scope.
type Scope string

// The scopes; each includes the ones before it.
const (
	ScopeRead  Scope = "read"  // GET routes
	ScopeWrite Scope = "write" // upserts, ingest, segments, generate, review
	ScopeSend  Scope = "send"  // launch, pause, resume campaigns
)

// Scopes are the valid scopes.
var Scopes = []Scope{ScopeRead, ScopeWrite, ScopeSend}

// Action is something a principal asks to do. Every route names the one
// action it needs.
type Action string

// The actions.
const (
	Read           Action = "read"             // any GET
	WriteData      Action = "data.write"       // customers, products, events
	WriteSegment   Action = "segment.write"    // create, change, delete a segment
	Generate       Action = "content.generate" // generate copy (spends model calls)
	Review         Action = "content.review"   // approve, reject, edit copy
	Launch         Action = "campaign.launch"  // create, plan, launch, pause, resume, cancel
	Export         Action = "export"           // anything that takes contacts out
	Compliance     Action = "compliance.write" // suppressions
	ChangeSettings Action = "settings.write"   // shop and LLM settings
	ManageAccess   Action = "access.manage"    // users and tokens
	AnswerSupport  Action = "support.answer"   // reply to and resolve support hand-offs
)

// Kind is how a principal signed in.
type Kind string

// The kinds of principal.
const (
	KindUser  Kind = "user"
	KindToken Kind = "token"
)

// Principal is who a request acts for: a console user (Role set) or an API
// token (Scope set).
type Principal struct {
	Kind  Kind
	ID    int64
	Name  string // user name, or the token's label
	Role  Role   // users only
	Scope Scope  // tokens only
	Lang  string // a user's console language, "zh" or "en"
}

// Can reports whether p may do a.
func (p Principal) Can(a Action) bool {
	switch p.Kind {
	case KindUser:
		return roleCan(p.Role, a)
	case KindToken:
		return scopeCan(p.Scope, a)
	}
	return false
}

func roleCan(r Role, a Action) bool {
	switch r {
	case Admin:
		return true
	case Marketer:
		switch a {
		case Read, WriteData, WriteSegment, Generate, Review, Launch, Export, Compliance, AnswerSupport:
			return true
		}
	case Reviewer:
		return a == Read || a == Review
	case Analyst:
		return a == Read
	}
	return false
}

func scopeCan(s Scope, a Action) bool {
	switch a {
	case Read:
		return s == ScopeRead || s == ScopeWrite || s == ScopeSend
	case WriteData, WriteSegment, Generate, Review, Compliance, Export, AnswerSupport:
		return s == ScopeWrite || s == ScopeSend
	case Launch:
		return s == ScopeSend
	}
	return false // settings and access are for console admins only
}

// Token is an API token as listed: never its secret.
type Token struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Scope     Scope     `json:"scope"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero"`  // zero when never used
	RevokedAt time.Time `json:"revoked_at,omitzero"` // zero when live
}

// User is a console user as listed: never her password hash.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Lang      string    `json:"lang"`
	CreatedAt time.Time `json:"created_at"`
	Disabled  bool      `json:"disabled"`
}

// Session is a signed-in console session. Secret is the cookie's value,
// known only to the browser (the store keeps its SHA-256); CSRF is the
// token every form of the session carries.
type Session struct {
	Secret    string
	CSRF      string
	Principal Principal
	Expires   time.Time
}

// Entry is one line of the audit log.
type Entry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`  // "user:NAME", "token:NAME" or "cli:OS-USER"
	Action string    `json:"action"` // e.g. "campaign.launch", "content.approve", "segment.export", "settings.change"
	Target string    `json:"target"` // what it acted on, e.g. "campaign 12"; never PII
	Detail string    `json:"detail,omitempty"`
}

type ctxKey struct{}

// WithSession returns ctx carrying the signed-in request's session (for a
// token, a Session with only Principal set).
func WithSession(ctx context.Context, s Session) context.Context {
	return context.WithValue(ctx, ctxKey{}, s)
}

// SessionFrom is the session WithSession put in ctx.
func SessionFrom(ctx context.Context) (Session, bool) {
	s, ok := ctx.Value(ctxKey{}).(Session)
	return s, ok
}

// PrincipalFrom is the principal of ctx's session; ok is false for an
// anonymous request.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	s, ok := SessionFrom(ctx)
	return s.Principal, ok && s.Principal.Kind != ""
}
