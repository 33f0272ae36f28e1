package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/tracking"
)

func TestHighlight(t *testing.T) {
	text := "双11大促…全场8折"
	tests := []struct {
		name string
		vs   []content.Violation
		want []Piece
	}{
		{"none", nil, []Piece{{Text: text}}},
		{"rune offsets", []content.Violation{{Message: "ellipsis", Span: content.TextSpan{Start: 5, End: 6, Text: "…"}}},
			[]Piece{{Text: "双11大促"}, {Text: "…", Flag: true, Why: "ellipsis"}, {Text: "全场8折"}}},
		{"stale offsets found by text", []content.Violation{{Message: "m", Span: content.TextSpan{Start: 0, End: 2, Text: "8折"}}},
			[]Piece{{Text: "双11大促…全场"}, {Text: "8折", Flag: true, Why: "m"}}},
		{"gone text dropped", []content.Violation{{Message: "m", Span: content.TextSpan{Start: 0, End: 2, Text: "9折"}}},
			[]Piece{{Text: text}}},
		{"clipped", []content.Violation{{Message: "m", Span: content.TextSpan{Start: 8, End: 99}}},
			[]Piece{{Text: "双11大促…全场"}, {Text: "8折", Flag: true, Why: "m"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Highlight(text, tt.vs)
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("piece %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestPreviewSMS(t *testing.T) {
	it := content.Item{Channel: content.SMS, Copy: content.Copy{Text: "【Lumen】双11全场8折，回T退订"}}
	p := NewPreview(it)
	if p.Kind != "sms" || p.Signature != "【Lumen】" || p.Body != "双11全场8折，回T退订" {
		t.Fatalf("preview %+v", p)
	}
	if p.Count.Encoding != content.UCS2 || p.Count.Segments != 1 {
		t.Fatalf("count %+v", p.Count)
	}
	long := content.Item{Channel: content.SMS, Copy: content.Copy{Text: "[Lumen] " + strings.Repeat("a", 200)}}
	if c := NewPreview(long).Count; c.Encoding != content.GSM7 || c.Segments != 2 {
		t.Fatalf("GSM-7 count %+v", c)
	}
}

func TestItemView(t *testing.T) {
	it := content.Item{ID: "x", Channel: content.Push, Language: "zh", Status: content.StatusFlagged,
		Copy: content.Copy{Title: "限时特惠限时特惠限时特惠限时特惠限时特惠限时", Body: "今晚最低价，快来抢购吧"},
		Violations: []content.Violation{
			{Field: "body", Rule: "compliance", Message: "absolute claim", Span: content.TextSpan{Start: 2, End: 5, Text: "最低价"}},
			{Field: "title", Rule: "budget", Message: "too long"},
			{Rule: "brief", Message: "the offer is missing"},
		}}
	v := NewItemView(it)
	if v.Preview.Kind != "push" || len(v.Fields) != 2 {
		t.Fatalf("view %+v", v)
	}
	title, body := v.Fields[0], v.Fields[1]
	if !title.Over || title.Max != 20 || title.Runes != 22 || len(title.Notes) != 1 {
		t.Fatalf("title %+v", title)
	}
	if len(body.Pieces) != 3 || !body.Pieces[1].Flag || body.Pieces[1].Text != "最低价" {
		t.Fatalf("body pieces %+v", body.Pieces)
	}
	if len(v.General) != 1 || !strings.Contains(v.General[0], "offer") {
		t.Fatalf("general %v", v.General)
	}
}

func TestSideBySide(t *testing.T) {
	items := []content.Item{
		{ID: "b", UnitKey: "u1", Channel: "sms", Variant: 1},
		{ID: "a", UnitKey: "u1", Channel: "sms", Variant: 0},
		{ID: "c", UnitKey: "u1", Channel: "email", Variant: 0},
	}
	rows := SideBySide(items)
	if len(rows) != 2 || rows[0].Channel != "sms" || rows[0].Items[0].Item.ID != "a" || rows[0].Items[1].Item.ID != "b" {
		t.Fatalf("rows %+v", rows)
	}
}

func TestCampaignForm(t *testing.T) {
	f := url.Values{"name": {"dbl11"}, "segment": {"vip"}, "channels": {"email", "sms"}, "mode": {"all"},
		"variants": {"2"}, "goal": {"sell"}, "offer": {"全场8折"}, "sender": {"【Lumen】"}, "holdout": {"10"}, "start": {"now"}}
	c := ParseCampaignForm(f)
	got, err := c.Campaign(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Mode != "all" || len(got.Variants) != 2 || got.Holdout != 0.1 || got.Schedule.Kind != campaign.StartNow ||
		strings.Join(got.Channels, ",") != "email,sms" || !strings.Contains(got.Brief, "全场8折") {
		t.Fatalf("campaign %+v", got)
	}
	bad := []struct {
		set, value, field string
	}{
		{"name", "a b", "name"}, {"segment", "", "segment"}, {"channels", "fax", "channels"},
		{"goal", "", "goal"}, {"holdout", "60", "holdout"}, {"start", "tomorrow", "start"}, {"variants", "30", "variants"},
	}
	for _, b := range bad {
		g := url.Values{}
		for k, v := range f {
			g[k] = v
		}
		g.Set(b.set, b.value)
		c := ParseCampaignForm(g)
		err := c.Check(StepSchedule, nil)
		if !apperr.Is(err, apperr.Invalid) || c.Field != b.field || c.Err == "" {
			t.Errorf("%s=%q: err %v, field %q", b.set, b.value, err, c.Field)
		}
	}
}

func TestProgress(t *testing.T) {
	p := NewProgress(campaign.Status{State: campaign.Running, Counts: campaign.Counts{"pending": 25, "sent": 70, "holdout": 5}})
	if p.Done != 0.75 || !p.Live || !p.CanPause || p.CanResume {
		t.Fatalf("%+v", p)
	}
	if p := NewProgress(campaign.Status{State: campaign.Paused}); p.Live || !p.CanResume {
		t.Fatalf("%+v", p)
	}
}

func TestReportView(t *testing.T) {
	r := tracking.Report{
		Total:    tracking.Cell{Recipients: 100, Sent: 90, Delivered: 80, Opens: 40, Clicks: 20, Conversions: 10},
		Variants: []tracking.Cell{{Variant: "A<script>", CVR: 0.1}, {Variant: "B", CVR: 0.2}},
	}
	v := NewReportView(r, map[string]string{"recipients": `"><img onerror=x>`, "rate": "CVR"})
	if len(v.Funnel) != 6 || v.Funnel[5].OfFirst != 0.1 || v.Funnel[2].OfBefore != 80.0/90 {
		t.Fatalf("funnel %+v", v.Funnel)
	}
	for _, svg := range []string{string(v.FunnelSVG), string(v.IntervalSVG)} {
		if strings.Contains(svg, "<script") || strings.Contains(svg, "<img") || !strings.HasPrefix(svg, "<svg") {
			t.Fatalf("chart not inert: %s", svg)
		}
	}
	if !strings.Contains(string(v.IntervalSVG), "A&lt;script&gt;") || !strings.Contains(string(v.FunnelSVG), "&#34;&gt;&lt;img") {
		t.Fatalf("labels not escaped: %s %s", v.IntervalSVG, v.FunnelSVG)
	}
	if v.LiftSVG != "" {
		t.Fatal("lift chart without a holdout")
	}
}
