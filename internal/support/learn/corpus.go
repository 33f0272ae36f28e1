package learn

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:generate go run ./gencorpus -out corpus.jsonl ../testdata

//go:embed corpus.jsonl
var corpusFile string

// Record is one labelled customer message of the corpus: the evaluation
// set it came from, the case's id, the message and the earlier turns of
// its conversation, the message as the rules read it (Text) and the
// features of the rules' signals of it (Signals, see
// support.LearnReading), its intent ("" when the set did not label one)
// and whether a person should take it over. Injection names the kind of
// prompt injection it carries, if any.
type Record struct {
	Set       string   `json:"set"`
	ID        string   `json:"id"`
	Question  string   `json:"question"`
	Turns     []string `json:"turns,omitempty"`
	Text      string   `json:"text"`
	Signals   []string `json:"signals"`
	Intent    string   `json:"intent,omitempty"`
	Handoff   bool     `json:"handoff"`
	Injection string   `json:"injection,omitempty"`
}

// Corpus returns the embedded corpus, in file order.
func Corpus() []Record {
	out, err := ReadCorpus(corpusFile)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return out
}

// ReadCorpus parses corpus lines (JSONL).
func ReadCorpus(text string) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var r Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("corpus line %d: %w", n, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

// Sets are the evaluation sets of records, in the order they first
// appear.
func Sets(records []Record) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range records {
		if !seen[r.Set] {
			seen[r.Set] = true
			out = append(out, r.Set)
		}
	}
	return out
}
