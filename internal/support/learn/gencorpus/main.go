// Command gencorpus writes the classifier's corpus (one JSON line per
// case) from the shipped evaluation sets: go generate in
// internal/support/learn runs it. Every case of every eval_*.jsonl file
// is kept, files in name order and cases in file order, so the same sets
// give the same corpus byte for byte. Each case is stored with the text
// and the rules' signals the classifier reads (support.LearnReading): run
// it again when the rules change (TestLearnCorpusIsCurrent says when).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/support/learn"
)

func main() {
	out := flag.String("out", "corpus.jsonl", "the corpus file to write")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -out corpus.jsonl DIR (the directory of the eval_*.jsonl sets)")
		os.Exit(64)
	}
	b, err := Build(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

// Build returns the corpus of the eval_*.jsonl sets in dir.
func Build(dir string) ([]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "eval_*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var buf bytes.Buffer
	sc := &support.Scripts{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		cases, err := support.ReadEvalCases(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		set := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(file), "eval_"), ".jsonl")
		for _, c := range cases {
			text, signals, err := support.LearnReading(sc, c.Question)
			if err != nil {
				return nil, err
			}
			line, err := json.Marshal(learn.Record{Set: set, ID: c.ID, Question: c.Question, Turns: c.Turns, Text: text, Signals: signals, Intent: c.Intent,
				Handoff: c.ExpectHandoff, Injection: c.Injection})
			if err != nil {
				return nil, err
			}
			buf.Write(line)
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes(), nil
}
