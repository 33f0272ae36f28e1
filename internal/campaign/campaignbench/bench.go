// Package campaignbench measures the campaign send path end to end: N
// recipients on a scratch database, launched as one email campaign and
// delivered by real `chorus worker` processes (queue → policy → render →
// SMTP → state) to a local SMTP sink, with the workers' CPU time and peak
// RSS; and, in the same run, a raw go-mail loop to the same sink with the
// same number of connections, the baseline of the ratio.
//
// The baseline sends like for like. The sink keeps the first messages the
// pipeline delivered; the raw loop reads one back per language (Subject,
// the text and HTML parts of the rendered email with their tracking
// links and open pixel, the transfer encoding, and the header set:
// From, To with a name, Date, Message-ID, Content-Language, RFC 8058
// List-Unsubscribe and List-Unsubscribe-Post, Feedback-ID, Precedence,
// X-Auto-Response-Suppress) and sends it again with go-mail, each message
// built right before it goes, to other addresses under other Message-IDs,
// in the recipients' mix of languages. It renders once up front, which is
// all it saves: it never sends smaller mail. The report gives the mean
// size at the sink of both sides' messages, so this can be checked.
//
// The machine may be shared, so the baseline is taken twice: once before
// the pipeline and once after, and the ratio is against their mean (both
// rates and their drift are reported). The loop before needs mail of the
// pipeline to send again, so a probe campaign of two other customers (one
// per language) goes through the same send path first, in-process, to a
// sink of its own; its mail differs from the bench's only in its send ids.
package campaignbench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/campaign/worker"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/postgres"
)

// Options configure a run.
type Options struct {
	// N is the number of recipients (all reachable by email).
	N int `flag:"n"`
	// DSN picks the engine: a postgres:// DSN runs in a new schema of that
	// database; anything else on a scratch SQLite file.
	DSN string
	// Workers is the number of worker processes (default 1).
	Workers int `flag:"workers"`
	// Connections is the SMTP pool of each worker and of the raw loop
	// (default 4).
	Connections int `flag:"connections"`
	// Binary is the chorus executable the workers run.
	Binary string
	// ProfileDir, when set, gets each worker's CPU, allocation, block and
	// mutex profiles and execution trace (worker0.cpu.pprof,
	// worker0.alloc.pprof, worker0.block.pprof, worker0.mutex.pprof,
	// worker0.trace.out, …). It is made if missing.
	ProfileDir string `flag:"profile"`
	// NoPipelining makes the sink refuse PIPELINING (as Mailpit does):
	// the pipeline's sender then takes four round trips per message, as
	// the raw go-mail loop always does, so the ratio compares like with
	// like; by default the sink offers it, as Postfix does.
	NoPipelining bool `flag:"no-pipelining"`
	// Progress, when set, is told what is happening.
	Progress func(format string, args ...any)
}

// DefaultOptions are `chorus bench send`'s: 20,000 recipients, one worker
// process with four SMTP connections.
func DefaultOptions() Options { return Options{N: 20000, Workers: 1, Connections: 4} }

// Report is what a run measured.
type Report struct {
	Engine      string `json:"engine"`
	N           int    `json:"recipients"`
	Workers     int    `json:"worker_processes"`
	Connections int    `json:"smtp_connections"`
	// SinkPipelining: the sink offered PIPELINING (RFC 2920), which the
	// pipeline's sender uses and the raw go-mail loop cannot.
	SinkPipelining bool    `json:"sink_pipelining"`
	Sent           int     `json:"sent"`
	LaunchSec      float64 `json:"launch_seconds"`
	SendSec        float64 `json:"send_seconds"`
	MsgPerSec      float64 `json:"messages_per_second"`
	// CPUPer1000 is the workers' CPU seconds (user+system) per 1,000
	// messages; PeakRSSMB the largest peak RSS of one worker process.
	CPUPer1000 float64 `json:"cpu_seconds_per_1000"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	// RawMsgPerSec is the baseline: the mean of the raw go-mail loop's
	// rates to the same sink with the same connections, run right before
	// (RawBeforeMsgPerSec) and right after (RawAfterMsgPerSec) the
	// pipeline; RawDrift is (after − before) / before, how much the machine
	// changed under the run. Ratio is MsgPerSec / RawMsgPerSec.
	RawMsgPerSec       float64 `json:"raw_gomail_messages_per_second"`
	RawBeforeMsgPerSec float64 `json:"raw_before_messages_per_second"`
	RawAfterMsgPerSec  float64 `json:"raw_after_messages_per_second"`
	RawDrift           float64 `json:"raw_drift"`
	Ratio              float64 `json:"ratio"`
	// MsgBytes and RawMsgBytes are the mean size of a message at the sink
	// from the pipeline and from the raw loop: like for like when close.
	// RawBeforeMsgBytes is the loop before's, sent again from the probe's
	// mail (a few bytes shorter: its send ids are shorter).
	MsgBytes          float64 `json:"message_bytes"`
	RawMsgBytes       float64 `json:"raw_message_bytes"`
	RawBeforeMsgBytes float64 `json:"raw_before_message_bytes"`
	// SinkDistinct counts distinct Message-IDs of the pipeline's mail the
	// sink stored (the raw loops' are not counted).
	SinkDistinct int `json:"sink_distinct_message_ids"`
	// FirstMessageSec is the time from starting the worker processes to
	// the first message at the sink (process start, queue start, first
	// fetch): part of SendSec, shown so the start-up cost can be seen.
	FirstMessageSec float64 `json:"first_message_seconds"`
}

const benchBrief = `name: bench
goal: a benchmark campaign
language: en
offer:
  text: 全场8折
  text_en: 20% off everything
  discount: 8折
landing_url: https://shop.example.com/sale
`

// Run sets up, launches, delivers and measures.
func Run(ctx context.Context, o Options) (rep Report, err error) {
	if o.N <= 0 {
		return rep, apperr.New(apperr.Invalid, "--n must be positive")
	}
	o.Workers = max(o.Workers, 1)
	if o.Connections <= 0 {
		o.Connections = 4
	}
	say := o.Progress
	if say == nil {
		say = func(string, ...any) {}
	}
	rep = Report{N: o.N, Workers: o.Workers, Connections: o.Connections, Engine: "sqlite", SinkPipelining: !o.NoPipelining}
	// the sink keeps the first messages, which the raw loop sends again
	sink, err := deliverytest.NewSMTPServer(o.sinkOptions(16)...)
	if err != nil {
		return rep, apperr.Wrap(err, apperr.Unavailable, "SMTP sink")
	}
	defer sink.Close()
	dir, err := os.MkdirTemp("", "chorus-bench-send-")
	if err != nil {
		return rep, apperr.Wrap(err, apperr.Unavailable, "scratch directory")
	}
	defer os.RemoveAll(dir)
	dsn := filepath.Join(dir, "chorus.db")
	if store.IsPostgres(o.DSN) {
		rep.Engine = "postgres"
		scratch, drop, err := postgres.CreateScratchSchema(ctx, o.DSN)
		if err != nil {
			return rep, err
		}
		defer drop(context.WithoutCancel(ctx))
		dsn = scratch
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return rep, err
	}
	defer st.Close()
	say("writing %d customers with e-mail consent", o.N)
	if err := populate(ctx, st, custID, "c", o.N); err != nil {
		return rep, err
	}
	cfgPath := filepath.Join(dir, "chorus.yaml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf(`db: %q
delivery:
  email:
    smtp: "smtp://%s?tls=none"
    from: "Bench Shop <news@bench.example>"
    connections: %d
tracking:
  base_url: "https://t.bench.example"
  secret: "campaign-bench-secret-0123456789abcdef"
`, dsn, sink.Addr, o.Connections)), 0o600); err != nil {
		return rep, apperr.Wrap(err, apperr.Unavailable, "bench config")
	}
	cfg, err := config.Load(cfgPath, func(string) (string, bool) { return "", false })
	if err != nil {
		return rep, err
	}
	w, err := worker.New(ctx, cfg, st, worker.Options{InsertOnly: true})
	if err != nil {
		return rep, err
	}
	svc := w.Service
	ids := make([]string, o.N)
	for i := range ids {
		ids[i] = custID(i)
	}
	svc.Audience = fixedAudience(ids)
	svc.Studio = &benchStudio{st: st, ids: ids, name: "bench"}
	if _, err := svc.Create(ctx, campaign.Campaign{Name: "bench", Segment: "bench", Channels: []string{"email"}, Brief: benchBrief, BriefFile: "bench.yaml"}); err != nil {
		w.Stop()
		return rep, err
	}
	say("probe campaign: one message per language through the send path, for the raw loop before the run")
	probeTs, err := probe(ctx, cfg, st)
	if err != nil {
		w.Stop()
		return rep, err
	}
	say("raw go-mail loop before the pipeline: %d messages like the pipeline's over %d connections", o.N, o.Connections)
	rawBefore, rawBeforeBytes, err := rawBeforeRun(ctx, o, probeTs)
	if err != nil {
		w.Stop()
		return rep, err
	}
	say("launching")
	t0 := time.Now()
	if _, err := svc.Launch(ctx, "bench"); err != nil {
		w.Stop()
		return rep, err
	}
	rep.LaunchSec = time.Since(t0).Seconds()
	if err := w.Stop(); err != nil {
		return rep, err
	}
	c, err := st.GetCampaign(ctx, "bench")
	if err != nil {
		return rep, err
	}
	if o.ProfileDir != "" {
		if err := os.MkdirAll(o.ProfileDir, 0o755); err != nil {
			return rep, apperr.Wrap(err, apperr.Invalid, "--profile %s", o.ProfileDir)
		}
	}
	say("sending with %d worker process(es)", o.Workers)
	t1 := time.Now()
	var procs []*exec.Cmd
	for i := range o.Workers {
		args := []string{"--config", cfgPath, "worker", "--id", "bench" + strconv.Itoa(i)}
		if o.ProfileDir != "" {
			for _, p := range []struct{ flag, file string }{{"cpuprofile", "cpu.pprof"}, {"memprofile", "alloc.pprof"},
				{"blockprofile", "block.pprof"}, {"mutexprofile", "mutex.pprof"}, {"trace", "trace.out"}} {
				args = append(args, "--"+p.flag, filepath.Join(o.ProfileDir, fmt.Sprintf("worker%d.%s", i, p.file)))
			}
		}
		cmd := exec.CommandContext(ctx, o.Binary, args...)
		cmd.Env = append(os.Environ(), "CHORUS_QUEUE_POLL_INTERVAL=50ms")
		if err := cmd.Start(); err != nil {
			return rep, apperr.Wrap(err, apperr.Unavailable, "start worker")
		}
		procs = append(procs, cmd)
	}
	stopAll := func() {
		for _, p := range procs {
			if p.ProcessState == nil {
				_ = p.Process.Signal(syscall.SIGTERM)
				_ = p.Wait()
			}
		}
	}
	defer stopAll()
	for {
		got, err := st.GetCampaignByID(ctx, c.ID)
		if err != nil {
			return rep, err
		}
		if got.State == campaign.Completed {
			break
		}
		select {
		case <-ctx.Done():
			return rep, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	rep.SendSec = time.Since(t1).Seconds()
	var cpu float64
	for _, p := range procs {
		c, rss := procUsage(p.Process.Pid)
		cpu += c
		rep.PeakRSSMB = max(rep.PeakRSSMB, rss)
	}
	stopAll()
	counts, err := st.CampaignCounts(ctx, c.ID)
	if err != nil {
		return rep, err
	}
	rep.Sent = counts.Counts[campaign.SendSent]
	rep.MsgPerSec = float64(rep.Sent) / rep.SendSec
	rep.CPUPer1000 = cpu / float64(max(rep.Sent, 1)) * 1000
	before := sink.Stats()
	got := sink.Received()
	if len(got) > 0 {
		rep.FirstMessageSec = got[0].At.Sub(t1).Seconds()
	}
	rep.SinkDistinct = before.Distinct
	rep.MsgBytes = float64(before.Bytes) / float64(max(before.Messages, 1))
	ts, err := templates(got)
	if err != nil {
		return rep, err
	}
	say("raw go-mail loop after the pipeline: %d messages like the pipeline's over %d connections", o.N, o.Connections)
	rawAfter, err := rawLoop(ctx, sink.Addr, o.N, o.Connections, ts, rawAfterPrefix)
	if err != nil {
		return rep, err
	}
	after := sink.Stats()
	rep.RawMsgBytes = float64(after.Bytes-before.Bytes) / float64(max(after.Messages-before.Messages, 1))
	rep.RawBeforeMsgBytes = rawBeforeBytes
	rep.RawBeforeMsgPerSec, rep.RawAfterMsgPerSec = rawBefore, rawAfter
	rep.RawMsgPerSec = (rawBefore + rawAfter) / 2
	if rawBefore > 0 {
		rep.RawDrift = (rawAfter - rawBefore) / rawBefore
	}
	if rep.RawMsgPerSec > 0 {
		rep.Ratio = rep.MsgPerSec / rep.RawMsgPerSec
	}
	return rep, nil
}

func custID(i int) string { return fmt.Sprintf("B%07d", i) }

// probeID names the probe campaign's customers, apart from the bench's.
func probeID(i int) string { return fmt.Sprintf("P%07d", i) }

// The raw loops' Message-IDs start with these (as long as each other, so
// both loops send messages of one size).
const (
	rawBeforePrefix = "rwa"
	rawAfterPrefix  = "rwb"
)

// sinkOptions configure a sink that keeps the first keep messages.
func (o Options) sinkOptions(keep int) []deliverytest.SMTPOption {
	opts := []deliverytest.SMTPOption{deliverytest.WithKeepSample(keep)}
	if o.NoPipelining {
		opts = append(opts, deliverytest.WithoutPipelining())
	}
	return opts
}

// rawBeforeRun runs the raw loop before the pipeline, on a sink of its own
// (the same server as the pipeline's, fresh as that one is), so that the
// pipeline's sink keeps the pipeline's first messages and counts only
// its mail; it returns the rate and the mean message size.
func rawBeforeRun(ctx context.Context, o Options, ts map[string]mailTemplate) (float64, float64, error) {
	sink, err := deliverytest.NewSMTPServer(o.sinkOptions(16)...)
	if err != nil {
		return 0, 0, apperr.Wrap(err, apperr.Unavailable, "SMTP sink")
	}
	defer sink.Close()
	rate, err := rawLoop(ctx, sink.Addr, o.N, o.Connections, ts, rawBeforePrefix)
	if err != nil {
		return 0, 0, err
	}
	st := sink.Stats()
	return rate, float64(st.Bytes) / float64(max(st.Messages, 1)), nil
}

// probe sends a campaign of two customers (one per language, see langOf)
// through the whole send path in this process (queue, policy, render,
// SMTP) to a sink of its own, and returns their mail as the raw loop's
// templates. Its campaign and customers are its own, so the bench's
// campaign meets no cap or state of it.
func probe(ctx context.Context, cfg config.Config, st store.Store) (map[string]mailTemplate, error) {
	sink, err := deliverytest.NewSMTPServer(deliverytest.WithKeepSample(2))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "SMTP sink")
	}
	defer sink.Close()
	cfg.Delivery.Email.SMTP = "smtp://" + sink.Addr + "?tls=none"
	if err := populate(ctx, st, probeID, "p", 2); err != nil {
		return nil, err
	}
	w, err := worker.New(ctx, cfg, st, worker.Options{ID: "probe", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	ids := []string{probeID(0), probeID(1)}
	w.Service.Audience = fixedAudience(ids)
	w.Service.Studio = &benchStudio{st: st, ids: ids, name: "probe"}
	if _, err := w.Service.Create(ctx, campaign.Campaign{Name: "probe", Segment: "probe", Channels: []string{"email"}, Brief: benchBrief, BriefFile: "bench.yaml"}); err != nil {
		return nil, err
	}
	if _, err := w.Service.Launch(ctx, "probe"); err != nil {
		return nil, err
	}
	if err := w.Start(ctx); err != nil {
		return nil, err
	}
	if err := waitCompleted(ctx, st, "probe"); err != nil {
		return nil, err
	}
	if err := w.Stop(); err != nil {
		return nil, err
	}
	return templates(sink.Received())
}

// waitCompleted polls until the named campaign is completed.
func waitCompleted(ctx context.Context, st store.Store, name string) error {
	for {
		got, err := st.GetCampaign(ctx, name)
		if err != nil {
			return err
		}
		if got.State == campaign.Completed {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// langOf is the language of the i-th recipient: half zh, half en.
func langOf(i int) string {
	if i%2 == 0 {
		return "zh"
	}
	return "en"
}

var benchDomains = []string{"example.com", "example.org", "example.net", "mail.example", "shop.example"}

// populate writes n customers named by idOf, each with an address (local
// part local and the number) and an e-mail grant.
func populate(ctx context.Context, st store.Store, idOf func(int) string, local string, n int) error {
	at := time.Now().Add(-24 * time.Hour).UTC()
	const chunk = 5000
	for start := 0; start < n; start += chunk {
		var cs []customer.Customer
		var cons []customer.Consent
		for i := start; i < min(start+chunk, n); i++ {
			id := idOf(i)
			lang := langOf(i)
			cs = append(cs, customer.Customer{ID: id, Name: "Customer " + strconv.Itoa(i), Email: fmt.Sprintf("%s%d@%s", local, i, benchDomains[i%len(benchDomains)]),
				Language: lang, TimeZone: "Asia/Shanghai"})
			cons = append(cons, customer.Consent{CustomerID: id, Channel: "email", Status: customer.Granted, Source: "bench", At: at})
		}
		if _, err := st.UpsertCustomers(ctx, cs); err != nil {
			return err
		}
		if _, err := st.AddConsents(ctx, cons); err != nil {
			return err
		}
	}
	return nil
}

type fixedAudience []string

func (a fixedAudience) Members(context.Context, string) ([]string, error) { return a, nil }

// benchStudio stands in for the content studio: one approved
// segment-level email item per language, so the run measures sending, not
// writing (which `chorus bench llm` measures).
type benchStudio struct {
	st   store.Store
	ids  []string
	name string // the campaign's: its run and items are named after it
}

func (b *benchStudio) Prepare(_ context.Context, req content.CampaignRequest) (*content.Prepared, error) {
	p := &content.Prepared{Run: content.Run{ID: "run_" + b.name, Name: b.name, Brief: req.Brief, Segment: req.Segment, Channels: req.Channels,
		Depth: content.DepthSegment, Variants: 1, Status: "planned", Audience: len(b.ids)}}
	groups := map[string]*content.Group{}
	for i, id := range b.ids {
		lang := langOf(i)
		p.Recipients = append(p.Recipients, content.Recipient{CustomerID: id, Language: lang, Segment: req.Segment})
		k := "s|" + req.Segment + "|" + lang
		if groups[k] == nil {
			groups[k] = &content.Group{Key: k, Segment: req.Segment, Lang: lang}
		}
		groups[k].Members = append(groups[k].Members, i)
	}
	for _, k := range []string{"s|" + req.Segment + "|en", "s|" + req.Segment + "|zh"} {
		if g := groups[k]; g != nil {
			p.Groups = append(p.Groups, *g)
		}
	}
	p.Plan = content.Plan{Audience: len(b.ids), Channels: req.Channels, Depth: content.DepthSegment, Variants: 1}
	return p, nil
}

func (b *benchStudio) Execute(ctx context.Context, p *content.Prepared) (content.Summary, error) {
	now := time.Now().UTC()
	for _, g := range p.Groups {
		it := content.Item{ID: b.name + "-" + g.Lang, RunID: p.Run.ID, UnitKey: g.Key + "|email", Channel: "email", Language: g.Lang,
			Segment: g.Segment, Cohort: g.Key, Status: content.StatusApproved, CreatedAt: now, UpdatedAt: now,
			Copy: content.Copy{Subject: "Our sale is on: 20% off everything", Preheader: "Until Sunday only", CTA: "Shop now",
				BodyText: "Hello {{first_name}},\nour sale is on: 20% off everything until Sunday.\nWe picked a few things for you."}}
		if g.Lang == "zh" {
			it.Copy = content.Copy{Subject: "全场8折，今天开始", Preheader: "本周日截止", CTA: "去看看",
				BodyText: "{{first_name}}，你好：\n全场8折，本周日截止。\n我们为你挑了几件好物。"}
		}
		it.HTML = ""
		if err := b.st.SaveUnit(ctx, content.Unit{RunID: p.Run.ID, Key: it.UnitKey, Calls: 0, At: now}, []content.Item{it}); err != nil {
			return content.Summary{}, err
		}
	}
	return content.Summary{Run: p.Run.ID, Status: "done"}, nil
}

func (b *benchStudio) Review(ctx context.Context, id, to, actor, note string) (content.Item, error) {
	return b.st.GetItem(ctx, id)
}

// procUsage reads a live process's CPU seconds and peak RSS (MB) from
// /proc (Linux); zeros elsewhere.
func procUsage(pid int) (cpu, rssMB float64) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		s := string(b)
		if i := strings.LastIndexByte(s, ')'); i > 0 {
			f := strings.Fields(s[i+1:])
			if len(f) > 13 {
				ut, _ := strconv.ParseFloat(f[11], 64)
				stt, _ := strconv.ParseFloat(f[12], 64)
				cpu = (ut + stt) / 100 // USER_HZ
			}
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
				rssMB = kb / 1024
			}
		}
	}
	return cpu, rssMB
}
