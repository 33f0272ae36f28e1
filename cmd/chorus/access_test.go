package main

import (
	"context"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/store"
)

func TestTokenCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	out, _, err := run(t, db, "token", "create", "--scope", "read", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		Token string `json:"token"`
		ID    int64  `json:"id"`
		Scope string `json:"scope"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil || !strings.HasPrefix(created.Token, "chorus_") || created.Scope != "read" || created.ID == 0 {
		t.Fatalf("token create --json = %s (%v)", out, err)
	}
	out, errOut, err := run(t, db, "token", "create", "--scope", "send", "--name", "backend")
	if err != nil || !strings.HasPrefix(out, "chorus_") || !strings.Contains(errOut, "shown this once") {
		t.Fatalf("token create = %q / %q, %v", out, errOut, err)
	}
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		p, err := auth.New(s, auth.Options{}).VerifyToken(ctx, created.Token)
		if err != nil || p.Scope != auth.ScopeRead {
			t.Fatalf("the printed token does not verify: %+v, %v", p, err)
		}
		return nil
	})
	out, _, err = run(t, db, "token", "list", "--json")
	var ts []auth.Token
	if err != nil || json.Unmarshal([]byte(out), &ts) != nil || len(ts) != 2 || ts[0].LastUsed.IsZero() || !ts[1].LastUsed.IsZero() {
		t.Fatalf("token list --json = %s, %v; want the first token used", out, err)
	}
	if strings.Contains(out, created.Token[len("chorus_"):]) {
		t.Fatal("token list shows a secret")
	}
	if _, _, err := run(t, db, "token", "revoke", "1"); err != nil {
		t.Fatal(err)
	}
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		if _, err := auth.New(s, auth.Options{}).VerifyToken(ctx, created.Token); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("revoked token: %v", err)
		}
		return nil
	})
	for _, args := range [][]string{{"token", "create", "--scope", "all"}, {"token", "create"}, {"token", "revoke", "x"}, {"token", "revoke", "99"}} {
		_, _, err := run(t, db, args...)
		if code := exitCode(err, cli{}.app(&strings.Builder{}, &strings.Builder{})); code != int(clikit.Usage) {
			t.Errorf("%v: exit %d (%v), want %d", args, code, err, clikit.Usage)
		}
	}
	out, _, _ = run(t, db, "audit", "--action", "token.revoke")
	if !strings.Contains(out, "cli:"+clikit.LoginName()) || !strings.Contains(out, "token 1") {
		t.Fatalf("audit of the revoke:\n%s", out)
	}
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	c := cli{db: db, stdin: "密码密码密码密码密码\n"}
	if out, _, err := c.run(t, "user", "create", "Li", "--role", "admin", "--password-stdin", "--lang", "zh"); err != nil || !strings.Contains(out, "user li created") {
		t.Fatalf("user create = %q, %v", out, err)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"short\n", []string{"user", "create", "bob", "--role", "admin", "--password-stdin"}, "at least 10"},
		{"", []string{"user", "create", "bob", "--role", "admin", "--password-stdin"}, "no password"},
		{"0123456789\n", []string{"user", "create", "bob", "--role", "admin"}, "--password-stdin"},
		{"0123456789\n", []string{"user", "create", "bob", "--role", "root", "--password-stdin"}, "admin, marketer, reviewer or analyst"},
		{"0123456789\n", []string{"user", "create", "li", "--role", "admin", "--password-stdin"}, "exists"},
		{"", []string{"user", "set-role", "nobody", "analyst"}, "no user"},
	} {
		_, _, err := cli{db: db, stdin: tc.stdin}.run(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || clikit.ExitStatus(err) != clikit.Usage {
			t.Errorf("%v: %v, want a usage error saying %q", tc.args, err, tc.want)
		}
	}
	if _, _, err := (cli{db: db, stdin: "a new password\r\n"}).run(t, "user", "set-password", "li", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "user", "set-role", "li", "reviewer"); err != nil {
		t.Fatal(err)
	}
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		sess, err := auth.New(s, auth.Options{}).Login(ctx, "li", "a new password", netip.Addr{})
		if err != nil || sess.Principal.Role != auth.Reviewer || sess.Principal.Lang != "zh" {
			t.Fatalf("login with the new password: %+v, %v", sess, err)
		}
		return nil
	})
	if _, _, err := run(t, db, "user", "disable", "li"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, db, "user", "list", "--json")
	var us []auth.User
	if err != nil || json.Unmarshal([]byte(out), &us) != nil || len(us) != 1 || !us[0].Disabled || strings.Contains(out, "argon2") {
		t.Fatalf("user list --json = %s, %v", out, err)
	}
	out, _, err = run(t, db, "audit", "--json")
	var es []auth.Entry
	if err != nil || json.Unmarshal([]byte(out), &es) != nil {
		t.Fatalf("audit --json = %s, %v", out, err)
	}
	var actions []string
	for _, e := range es {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "user.disable user.role user.password user.create" {
		t.Fatalf("audited actions = %q", got)
	}
}

func TestShopSetIsAudited(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	if _, _, err := run(t, db, "shop", "set", "name", "Gift Co"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "shop", "set", "nope", "x"); err == nil {
		t.Fatal("shop set of an unknown key succeeded")
	}
	out, _, err := run(t, db, "audit", "--json", "--action", "settings.change")
	var es []auth.Entry
	if err != nil || json.Unmarshal([]byte(out), &es) != nil || len(es) != 1 || es[0].Target != "shop.name" || es[0].Actor != "cli:"+clikit.LoginName() {
		t.Fatalf("audit = %s, %v; want one settings.change of shop.name (the failed set is not recorded)", out, err)
	}
}

// auditActions are the actions of db's audit log, newest first.
func auditActions(t *testing.T, run func(args ...string) (string, error)) []auth.Entry {
	t.Helper()
	out, err := run("audit", "--json", "--limit", "100")
	var es []auth.Entry
	if err != nil || json.Unmarshal([]byte(out), &es) != nil {
		t.Fatalf("audit --json = %s, %v", out, err)
	}
	return es
}

func TestCampaignAndReviewCommandsAreAudited(t *testing.T) {
	r := newCampaignRig(t, "sqlite", 40, "")
	r.must(t, "campaign", "create", "au", "--segment", "everyone", "--channels", "email", "--mode", "all",
		"--brief", filepath.Join(filepath.Dir(r.cfg), "brief.yaml"))
	r.must(t, "campaign", "launch", "au")
	r.must(t, "campaign", "pause", "au")
	r.must(t, "campaign", "resume", "au")
	r.must(t, "campaign", "cancel", "au")
	out := r.must(t, "content", "review", "list", "--json")
	var items []struct {
		ID     string `json:"ID"`
		Status string `json:"Status"`
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) == 0 {
		t.Fatalf("review list: %v\n%s", err, out)
	}
	r.must(t, "content", "review", "reject", items[0].ID, "--by", "ana", "--note", "tone")
	es := auditActions(t, func(args ...string) (string, error) { return r.run(t, args...) })
	var got []string
	for _, e := range es {
		got = append(got, e.Action+" "+e.Target)
		if e.Actor != "cli:"+clikit.LoginName() {
			t.Errorf("actor %q, want the OS user", e.Actor)
		}
	}
	want := "content.reject item " + items[0].ID + "|campaign.cancel campaign au|campaign.resume campaign au|campaign.pause campaign au|campaign.launch campaign au"
	if strings.Join(got, "|") != want {
		t.Fatalf("audit:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	if !strings.HasSuffix(es[4].Detail, " recipients") || es[0].Detail != "by ana" {
		t.Errorf("details: launch %q, reject %q", es[4].Detail, es[0].Detail)
	}
	if _, err := r.run(t, "campaign", "pause", "nope"); err == nil {
		t.Fatal("pausing an unknown campaign succeeded")
	}
	if n := len(auditActions(t, func(args ...string) (string, error) { return r.run(t, args...) })); n != len(es) {
		t.Fatalf("a failed command was audited: %d entries, want %d", n, len(es))
	}
}

func TestContactExportIsAudited(t *testing.T) {
	db := segmentDB(t)
	if _, _, err := run(t, db, "segment", "create", "buyers", "--expr", "orders >= 1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "segment", "export", "buyers", "--fields", "rfm.segment"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "segment", "export", "buyers", "--fields", "email", "--include-contact"); err != nil {
		t.Fatal(err)
	}
	es := auditActions(t, func(args ...string) (string, error) { out, _, err := run(t, db, args...); return out, err })
	if len(es) != 1 || es[0].Action != "segment.export" || es[0].Target != "segment buyers" || !strings.Contains(es[0].Detail, "contact export #1") ||
		!strings.Contains(es[0].Detail, "fields email") {
		t.Fatalf("audit = %+v; want the contact export only", es)
	}
}
