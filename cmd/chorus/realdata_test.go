package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/store"
)

const realCorpus = "../../internal/importer/testdata/real/"

// TestImportRealCorpus imports the real-shaped corpus through the CLI:
// exact counts in the summary, the reasons, and the exit codes (0, or 64
// when the input must change).
func TestImportRealCorpus(t *testing.T) {
	cdnow := []string{"--delimiter", "whitespace", "--set", "type=purchase", "--set", "currency=USD", "--map", "number_of_cds=quantity", "--map", "dollar_value=amount"}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"online retail slice", []string{"import", "events", realCorpus + "online_retail_slice.csv", "--format", "online-retail"}, 0,
			[]string{"read 176 = imported 176 + updated 0 + skipped duplicates 0 + rejected 0", "customers inserted 14", "products  inserted 138"}, ""},
		{"online retail cut short", []string{"import", "events", realCorpus + "online_retail_slice_truncated.csv.gz", "--format", "online-retail"}, 64,
			nil, "the compressed file ends early (it was cut off after line 105): the 104 rows read before the end are counted and stored"},
		{"cdnow as published", append([]string{"import", "events", realCorpus + "cdnow_slice.txt"}, cdnow...), 0,
			[]string{"read 415 = imported 415 + updated 0 + skipped duplicates 0 + rejected 0", "customers created from events: 24"}, ""},
		{"cdnow cut short", append([]string{"import", "events", realCorpus + "cdnow_slice_truncated.txt.gz"}, cdnow...), 64,
			nil, "the 211 rows read before the end are counted and stored"},
		{"shopify export", []string{"import", "customers", realCorpus + "shopify_customers_export.csv", "--format", "shopify-customers"}, 0,
			[]string{"read 8 = imported 6 + updated 0 + skipped duplicates 1 + rejected 1", "1 rows rejected (pass --rejects FILE to see them): bad value 1"}, ""},
		{"shopify cut short", []string{"import", "customers", realCorpus + "shopify_customers_truncated.csv.gz", "--format", "shopify-customers"}, 64,
			nil, "the 2 rows read before the end"},
		{"jsonl cut short", []string{"import", "events", realCorpus + "events_truncated.jsonl.gz"}, 64, nil, "the 10 rows read before the end"},
		{"one GBK line", []string{"import", "customers", realCorpus + "customers_one_gbk_line.csv"}, 0,
			[]string{"read 6 = imported 5 + updated 0 + skipped duplicates 0 + rejected 1", "not UTF-8 1"}, ""},
		{"a GBK file", []string{"import", "customers", "../../internal/importer/testdata/customers_gbk.csv"}, 64, nil, "pass --encoding gbk"},
		{"unbalanced quote", []string{"import", "events", realCorpus + "events_unbalanced_quote.csv"}, 0,
			[]string{"read 9 = imported 8 + updated 0 + skipped duplicates 0 + rejected 1", "unbalanced quote 1", "customers created from events: 3"}, ""},
		{"bad delimiter", []string{"import", "events", realCorpus + "cdnow_slice.txt", "--delimiter", "colon"}, 64, nil, "--delimiter \"colon\""},
		{"bad --set", append([]string{"import", "events", realCorpus + "cdnow_slice.txt", "--set", "colour=red"}, cdnow...), 64, nil, "--set colour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "chorus.db")
			out, errOut, err := run(t, db, tc.args...)
			a := cli{db: db}.app(&strings.Builder{}, &strings.Builder{})
			if code := exitCode(err, a); code != tc.code {
				t.Fatalf("exit %d, want %d (err %v)\nstdout: %s\nstderr: %s", code, tc.code, err, out, errOut)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if tc.stderr != "" && (err == nil || !strings.Contains(err.Error(), tc.stderr)) {
				t.Errorf("error %v, want it to say %q", err, tc.stderr)
			}
		})
	}
}

// TestOnlineRetailShopLanguageAndZone: on the Online Retail slice the
// shop is inferred as a UK shop; Iceland's 12347 gets English copy signed
// with the shop's name, and her quiet hours are judged in her country's
// zone, a UK customer's in London's.
func TestOnlineRetailShopLanguageAndZone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	if _, _, err := run(t, db, "import", "events", realCorpus+"online_retail_slice.csv", "--format", "online-retail"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, db, "shop", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var sh struct {
		Name, Language, Currency, Country string
		TimeZone                          string `json:"time_zone"`
	}
	if err := json.Unmarshal([]byte(out), &sh); err != nil {
		t.Fatal(err)
	}
	if sh.Language != "en" || sh.TimeZone != "Europe/London" || sh.Currency != "GBP" || sh.Country != "GB" || sh.Name != "" {
		t.Fatalf("inferred shop %+v", sh)
	}
	if _, _, err := run(t, db, "shop", "set", "name", "Gift Co"); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, db, "generate", "--customer", "12347", "--product", "85116", "--channel", "email", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Language string `json:"language"`
		Items    []struct {
			Copy struct {
				Subject  string `json:"subject"`
				BodyText string `json:"body_text"`
			} `json:"copy"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if g.Language != "en" || len(g.Items) == 0 {
		t.Fatalf("generate: %s", out)
	}
	body := g.Items[0].Copy.BodyText
	if !strings.Contains(body, "Gift Co") || strings.Contains(body, "Chorus") || strings.ContainsAny(body, "你好您") {
		t.Errorf("12347's email is not English signed by Gift Co:\n%s", body)
	}
	for id, zone := range map[string]string{"12347": "Atlantic/Reykjavik", "17850": "Europe/London"} {
		out, _, err := run(t, db, "policy", "check", id, "--channel", "email", "--json")
		if exitCode(err, cli{}.app(&strings.Builder{}, &strings.Builder{})) > 1 {
			t.Fatalf("policy check %s: %v", id, err)
		}
		var v struct {
			TimeZone string `json:"time_zone"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.TimeZone != zone {
			t.Errorf("policy check %s: zone %q, want %s (%v)", id, v.TimeZone, zone, err)
		}
	}
	// An unknown channel is a usage error, not a skip.
	_, _, err = run(t, db, "policy", "check", "12347", "--channel", "fax")
	if code := exitCode(err, cli{}.app(&strings.Builder{}, &strings.Builder{})); code != 64 {
		t.Errorf("--channel fax: exit %d, want 64", code)
	}
	_, _, err = run(t, db, "recommend", "NOPE123")
	if code := exitCode(err, cli{}.app(&strings.Builder{}, &strings.Builder{})); code != 64 {
		t.Errorf("recommend NOPE123: exit %d, want 64", code)
	}
}

// TestSegmentExportContacts: contact fields need --include-contact; then
// only members consent and suppression allow are written, and the export
// is logged.
func TestSegmentExportContacts(t *testing.T) {
	db := segmentDB(t)
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		for k := 1; k <= 12; k++ {
			id := fmt.Sprintf("u%02d", k)
			if _, err := s.UpsertCustomers(ctx, []customer.Customer{{ID: id, Email: id + "@example.com", Name: "Member " + id}}); err != nil {
				return err
			}
		}
		return nil
	})
	if _, _, err := run(t, db, "segment", "create", "buyers", "--expr", "orders >= 1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "suppress", "add", "u02@example.com", "--reason", "hard_bounce"); err != nil {
		t.Fatal(err)
	}
	_, _, err := run(t, db, "segment", "export", "buyers", "--fields", "email")
	if code := exitCode(err, cli{}.app(&strings.Builder{}, &strings.Builder{})); code != 64 || !strings.Contains(err.Error(), "--include-contact") {
		t.Fatalf("email without --include-contact: exit %d, %v", code, err)
	}
	out, errOut, err := run(t, db, "segment", "export", "buyers", "--fields", "email,name,rfm.segment", "--include-contact", "--actor", "ana")
	if err != nil {
		t.Fatal(err)
	}
	// u01..u06 granted e-mail consent; u02's address bounced.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "customer_id,since,email,name,rfm.segment" || len(lines) != 6 {
		t.Fatalf("export:\n%s", out)
	}
	for i, id := range []string{"u01", "u03", "u04", "u05", "u06"} {
		if !strings.HasPrefix(lines[i+1], id+",") || !strings.Contains(lines[i+1], ","+id+"@example.com,Member "+id+",") {
			t.Errorf("row %d: %s", i+1, lines[i+1])
		}
	}
	if !strings.Contains(errOut, "contact export logged (#1 by ana): 5 rows, 7 members held back by consent or suppression") {
		t.Errorf("stderr: %s", errOut)
	}
	out, _, err = run(t, db, "segment", "exports", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var log []segment.ContactExport
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log) != 1 {
		t.Fatalf("log %s: %v", out, err)
	}
	if e := log[0]; e.Actor != "ana" || e.Segment != "buyers" || e.Rows != 5 || e.Withheld != 7 || strings.Join(e.Fields, ",") != "email,name" {
		t.Errorf("log entry %+v", e)
	}
	// --ignore-consent needs a purpose, and then writes every member.
	if _, _, err := run(t, db, "segment", "export", "buyers", "--fields", "email", "--include-contact", "--ignore-consent"); err == nil {
		t.Error("--ignore-consent without --purpose accepted")
	}
	out, _, err = run(t, db, "segment", "export", "buyers", "--fields", "email", "--include-contact", "--ignore-consent", "--purpose", "product recall notice")
	if err != nil || strings.Count(out, "@example.com") != 12 {
		t.Errorf("ignore consent: %v\n%s", err, out)
	}
}
