package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Post is one social post for a scheduling tool.
type Post struct {
	// ID names the post (the send or content item id); required.
	ID string `json:"id"`
	// Platform is xiaohongshu, weibo, moments, instagram, …; required.
	Platform string `json:"platform"`
	Language string `json:"language,omitempty"`
	Title    string `json:"title,omitempty"`
	// Body is the post's text, final (AI label in place); required.
	Body     string   `json:"body"`
	Hashtags []string `json:"hashtags,omitempty"`
	// Link is the (tracked) link to put with the post.
	Link string `json:"link,omitempty"`
	// Media are image or video references (paths or URLs) to attach.
	Media []string `json:"media,omitempty"`
	// ScheduledAt is when to publish; zero leaves it to the tool.
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	CampaignID  string    `json:"campaign_id,omitempty"`
	Variant     string    `json:"variant,omitempty"`
}

// PostsFile is the JSON export of a campaign's posts.
type PostsFile struct {
	Name  string `json:"name"`
	Posts []Post `json:"posts"`
}

// PostsResult is what a posts export wrote.
type PostsResult struct {
	JSONPath     string   `json:"json_path"`
	MarkdownPath string   `json:"markdown_path"`
	Posts        int      `json:"posts"`
	Included     []string `json:"included"` // post ids written (recorded as sent)
	Skipped      []Skip   `json:"skipped"`
}

// Posts writes posts as <name>.posts.json (PostsFile, for tools that
// import JSON) and <name>.posts.md (for people and tools that take
// Markdown), in schedule order (unscheduled last, then by platform and
// id), so the same posts give the same bytes. A post without an id,
// platform or body is skipped (invalid). Errors are as for Audience.
func (x *Exporter) Posts(ctx context.Context, name string, posts []Post) (PostsResult, error) {
	base, err := slug(name)
	if err != nil {
		return PostsResult{}, err
	}
	res := PostsResult{Included: []string{}, Skipped: []Skip{}}
	var ok []Post
	for _, p := range posts {
		if strings.TrimSpace(p.ID) == "" || strings.TrimSpace(p.Platform) == "" || strings.TrimSpace(p.Body) == "" {
			res.Skipped = append(res.Skipped, Skip{SendID: p.ID, Reason: SkipInvalid})
			continue
		}
		if !p.ScheduledAt.IsZero() {
			p.ScheduledAt = p.ScheduledAt.Truncate(time.Second)
		}
		ok = append(ok, p)
		res.Included = append(res.Included, p.ID)
	}
	slices.SortStableFunc(ok, func(a, b Post) int {
		switch {
		case a.ScheduledAt.IsZero() != b.ScheduledAt.IsZero():
			if a.ScheduledAt.IsZero() {
				return 1
			}
			return -1
		case !a.ScheduledAt.Equal(b.ScheduledAt):
			return a.ScheduledAt.Compare(b.ScheduledAt)
		case a.Platform != b.Platform:
			return strings.Compare(a.Platform, b.Platform)
		}
		return strings.Compare(a.ID, b.ID)
	})
	if ok == nil {
		ok = []Post{}
	}
	js, err := json.MarshalIndent(PostsFile{Name: name, Posts: ok}, "", "  ")
	if err != nil {
		return PostsResult{}, err
	}
	js = append(js, '\n')
	md := markdown(name, ok)
	jf, mf := base+".posts.json", base+".posts.md"
	if err := writeAtomic(ctx, x.dir, jf, js, 0o644); err != nil {
		return PostsResult{}, err
	}
	if err := writeAtomic(ctx, x.dir, mf, md, 0o644); err != nil {
		return PostsResult{}, err
	}
	res.JSONPath, res.MarkdownPath, res.Posts = x.dir+"/"+jf, x.dir+"/"+mf, len(ok)
	return res, nil
}

// hashtag writes a tag in the platform's style: Weibo wraps it (#双11#),
// the others prefix it (#双11).
func hashtag(platform, tag string) string {
	tag = strings.Trim(strings.TrimSpace(tag), "#")
	if tag == "" {
		return ""
	}
	if platform == "weibo" {
		return "#" + tag + "#"
	}
	return "#" + tag
}

var platformNames = map[string]string{
	"xiaohongshu": "小红书 Xiaohongshu", "weibo": "微博 Weibo", "moments": "朋友圈 WeChat Moments",
	"instagram": "Instagram", "douyin": "抖音 Douyin", "facebook": "Facebook", "x": "X",
}

func markdown(name string, posts []Post) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n%d posts\n", name, len(posts))
	for _, p := range posts {
		label := platformNames[p.Platform]
		if label == "" {
			label = p.Platform
		}
		when := "unscheduled"
		if !p.ScheduledAt.IsZero() {
			when = p.ScheduledAt.Format("2006-01-02 15:04 MST")
		}
		fmt.Fprintf(&b, "\n---\n\n## %s · %s\n\n", label, when)
		meta := []string{"id `" + p.ID + "`"}
		if p.Language != "" {
			meta = append(meta, "language "+p.Language)
		}
		if p.Variant != "" {
			meta = append(meta, "variant "+p.Variant)
		}
		b.WriteString(strings.Join(meta, " · ") + "\n\n")
		if p.Title != "" {
			fmt.Fprintf(&b, "**%s**\n\n", p.Title)
		}
		b.WriteString(strings.TrimSpace(p.Body) + "\n")
		var tags []string
		for _, t := range p.Hashtags {
			if h := hashtag(p.Platform, t); h != "" {
				tags = append(tags, h)
			}
		}
		if len(tags) > 0 {
			b.WriteString("\n" + strings.Join(tags, " ") + "\n")
		}
		if p.Link != "" {
			fmt.Fprintf(&b, "\nLink: <%s>\n", p.Link)
		}
		for _, m := range p.Media {
			fmt.Fprintf(&b, "\nMedia: `%s`\n", m)
		}
	}
	return b.Bytes()
}
