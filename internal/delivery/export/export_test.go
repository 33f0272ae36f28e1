package export

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct {
		in           string
		google, meta string
	}{
		{"  Lina.Wu@Example.COM ", "lina.wu@example.com", "lina.wu@example.com"},
		{"John.Smith@gmail.com", "johnsmith@gmail.com", "john.smith@gmail.com"},
		{"j.o.h.n@GoogleMail.com", "john@googlemail.com", "j.o.h.n@googlemail.com"},
		{"li+promo@qq.com", "li+promo@qq.com", "li+promo@qq.com"},
		{"not an email", "", ""},
		{"a@b", "", ""},
		{"Lina <lina@example.com>", "", ""},
		{"", "", ""},
	} {
		g, gok := NormalizeEmail(Google, tc.in)
		m, mok := NormalizeEmail(Meta, tc.in)
		if g != tc.google || m != tc.meta || gok != (tc.google != "") || mok != (tc.meta != "") {
			t.Errorf("%q: google %q %v, meta %q %v; want %q, %q", tc.in, g, gok, m, mok, tc.google, tc.meta)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, region   string
		google, meta string
	}{
		{"138 0013 8000", "CN", "+8613800138000", "8613800138000"},
		{"+86 138-0013-8000", "", "+8613800138000", "8613800138000"},
		{"0086 13800138000", "CN", "+8613800138000", "8613800138000"},
		{"１３８００１３８０００", "CN", "+8613800138000", "8613800138000"},
		{"(650) 253-0000", "US", "+16502530000", "16502530000"},
		{"020 7946 0958", "GB", "+442079460958", "442079460958"},
		{"12345", "CN", "", ""},
		{"call me", "CN", "", ""},
	} {
		g, gok := NormalizePhone(Google, tc.in, tc.region)
		m, mok := NormalizePhone(Meta, tc.in, tc.region)
		if g != tc.google || m != tc.meta || gok != (tc.google != "") || mok != (tc.meta != "") {
			t.Errorf("%q/%s: google %q, meta %q; want %q, %q", tc.in, tc.region, g, m, tc.google, tc.meta)
		}
	}
}

func TestAudience(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exports")
	x, err := New(dir, "CN")
	if err != nil {
		t.Fatal(err)
	}
	members := []Member{
		{SendID: "s1", Email: "Lina.Wu@Example.com", Phone: "138 0013 8000"},
		{SendID: "s2", Email: "John.Smith@gmail.com"},
		{SendID: "s3", Phone: "+86 138-0013-8000", Email: "bad@"}, // invalid e-mail, phone kept
		{SendID: "s4"}, // nothing usable
		{SendID: "s5", Email: "johnsmith@gmail.com"}, // the same person as s2 for Google
		{SendID: "s6", Phone: "(650) 253-0000", Region: "US"},
	}
	ctx := context.Background()
	res, err := x.Audience(ctx, "双11 win-back", Google, members)
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != dir+"/双11-win-back.google.csv" || res.Rows != 4 || res.Emails != 2 || res.Phones != 3 ||
		res.InvalidEmails != 1 || res.InvalidPhones != 0 || len(res.Skipped) != 1 || res.Skipped[0] != (Skip{"s4", SkipNoIdentifier}) ||
		strings.Join(res.Included, ",") != "s1,s2,s3,s5,s6" {
		t.Fatalf("result %+v", res)
	}
	b, err := os.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	// Digests computed independently (Python hashlib) from the
	// normalised forms.
	for _, want := range []string{
		"Email,Phone\n",
		"cb5e27509e36f63bfe0ec79555a2243dacf1a2cd9bb7f28143722dc7b6057f99,ec61f3c620a98bdead8c1f1f0ae747abd1b62a0c2dba4fd4bc22cf0d1d8653e5\n", // lina.wu@example.com, +8613800138000
		"3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586,\n",                                                                 // johnsmith@gmail.com (s2 and s5)
		",ec61f3c620a98bdead8c1f1f0ae747abd1b62a0c2dba4fd4bc22cf0d1d8653e5\n",                                                                 // s3
	} {
		if !strings.Contains(got, want) {
			t.Errorf("file lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "\n") != 5 {
		t.Errorf("want a header and 4 rows:\n%s", got)
	}
	for _, pii := range []string{"lina", "gmail", "13800138000", "6502530000"} {
		if strings.Contains(strings.ToLower(got), pii) {
			t.Errorf("file holds %q in clear", pii)
		}
	}
	fi, _ := os.Stat(res.Path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("audience file mode %v, want 0600", fi.Mode().Perm())
	}
	// Again, in another order: the same bytes.
	rev := append([]Member(nil), members...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	res2, err := x.Audience(ctx, "双11 win-back", Google, rev)
	if err != nil || res2.SHA256 != res.SHA256 {
		t.Fatalf("re-export differs: %v", err)
	}
	// Meta: its own columns and phone form.
	mres, err := x.Audience(ctx, "双11 win-back", Meta, members)
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := os.ReadFile(mres.Path)
	if !strings.HasPrefix(string(mb), "email,phone\n") || !strings.Contains(string(mb), "bf08aacce7f9b2452863cf99373043c3333f0e3127f1f787c4abb46ab6cf2b83") ||
		!strings.Contains(string(mb), "d0c648bc36f12061bec770df216cea2ab95851b9350fd54b658de53b0407767a") || mres.Rows != 5 {
		t.Fatalf("meta file (%d rows):\n%s", mres.Rows, mb)
	}
	if _, err := x.Audience(ctx, "x", "tiktok", members); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("unknown platform: %v", err)
	}
	// No temporary files left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
	// An interrupted export leaves the previous file as it was.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := x.Audience(cctx, "双11 win-back", Google, members[:1]); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("cancelled export: %v", err)
	}
	if after, _ := os.ReadFile(res.Path); !bytes.Equal(after, b) {
		t.Fatal("an interrupted export changed the file")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"双11 大促":           "双11-大促",
		"../../etc/passwd": "etc-passwd",
		"win_back.v2":      "win_back.v2",
		".hidden":          "hidden",
	} {
		if got, err := slug(in); err != nil || got != want {
			t.Errorf("slug(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "../..", "***"} {
		if _, err := slug(bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("slug(%q): %v", bad, err)
		}
	}
}

func TestPosts(t *testing.T) {
	x, err := New(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 10, 20, 0, 0, 0, time.FixedZone("CST", 8*3600))
	posts := []Post{
		{ID: "p2", Platform: "weibo", Language: "zh", Body: "双11 摄影包开抢！（AI生成）", Hashtags: []string{"双11", "#摄影#"}, Link: "https://t.shop.cn/t/c/AQ", ScheduledAt: at.Add(time.Hour), Variant: "A"},
		{ID: "p1", Platform: "xiaohongshu", Language: "zh", Title: "通勤党必备摄影包", Body: "姐妹们！这只包真的能装…", Hashtags: []string{"好物分享"}, Media: []string{"img/bag-1.jpg"}, ScheduledAt: at},
		{ID: "p3", Platform: "instagram", Language: "en", Body: "Singles' Day drop: the camera bag."},
		{ID: "p4", Platform: "weibo"}, // no body
	}
	res, err := x.Posts(context.Background(), "double11", posts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Posts != 3 || strings.Join(res.Included, ",") != "p2,p1,p3" || len(res.Skipped) != 1 || res.Skipped[0].SendID != "p4" {
		t.Fatalf("result %+v", res)
	}
	js, _ := os.ReadFile(res.JSONPath)
	var f PostsFile
	if err := json.Unmarshal(js, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Posts) != 3 || f.Posts[0].ID != "p1" || f.Posts[1].ID != "p2" || f.Posts[2].ID != "p3" || !f.Posts[0].ScheduledAt.Equal(at) {
		t.Fatalf("json posts out of order or lost: %+v", f.Posts)
	}
	md, _ := os.ReadFile(res.MarkdownPath)
	for _, want := range []string{"# double11\n", "## 小红书 Xiaohongshu · 2026-11-10 20:00 CST", "**通勤党必备摄影包**", "#好物分享", "## 微博 Weibo · 2026-11-10 21:00 CST", "#双11# #摄影#", "Link: <https://t.shop.cn/t/c/AQ>", "## Instagram · unscheduled", "Media: `img/bag-1.jpg`"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	res2, _ := x.Posts(context.Background(), "double11", []Post{posts[2], posts[0], posts[1]})
	js2, _ := os.ReadFile(res2.JSONPath)
	if !bytes.Equal(js, js2) {
		t.Fatal("the same posts in another order wrote other bytes")
	}
}

func TestNewRefuses(t *testing.T) {
	if _, err := New("", ""); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "delivery.export.dir") {
		t.Fatalf("empty dir: %v", err)
	}
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o600)
	if _, err := New(filepath.Join(f, "sub"), ""); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("dir under a file: %v", err)
	}
}
