package experiment

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Table is a file of per-arm counts as ReadTable found it.
type Table struct {
	Arms []Arm
	// Ignored are header columns that mean nothing to the analysis.
	Ignored []string
	// ControlFrom says how the control was chosen: "argument", "column"
	// or "name" (a variant called control, holdout, 对照 or 对照组).
	ControlFrom string
}

// The canonical columns and the headers accepted for each (compared after
// lower-casing, width folding and turning spaces and hyphens into
// underscores).
var columnAliases = map[string][]string{
	"variant":       {"variant", "arm", "group", "name", "variation", "变体", "组", "组别", "分组", "版本"},
	"recipients":    {"recipients", "n", "users", "visitors", "sent", "audience", "收件人", "收件人数", "人数", "样本量", "发送数"},
	"conversions":   {"conversions", "converted", "conversion", "orders", "buyers", "转化", "转化数", "转化人数", "下单数"},
	"revenue_sum":   {"revenue_sum", "revenue", "sum_revenue", "收入", "收入合计", "总收入", "销售额"},
	"revenue_sumsq": {"revenue_sumsq", "revenue_sum_sq", "revenue_sum_squares", "revenue_sumsquares", "sumsq_revenue", "收入平方和"},
	"control":       {"control", "is_control", "baseline", "对照", "是否对照"},
	"weight":        {"weight", "share", "planned_share", "split", "allocation", "权重", "占比", "分配比例"},
}

var canonicalOf = func() map[string]string {
	m := map[string]string{}
	for c, as := range columnAliases {
		for _, a := range as {
			m[a] = c
		}
	}
	return m
}()

// controlNames are variant names taken as the control when nothing
// marks one.
var controlNames = []string{"control", "holdout", "baseline", "对照", "对照组", "控制组"}

// maxRowErrors bounds the errors one read reports.
const maxRowErrors = 20

// ReadTable reads per-arm counts: a CSV (or tab- or semicolon-separated
// file, told by its header line) with the header
//
//	variant,recipients,conversions[,revenue_sum,revenue_sumsq][,control][,weight]
//
// (Chinese and common English synonyms are accepted as headers). revenue_sum
// is the sum of per-recipient revenue and revenue_sumsq the sum of its
// squares; weight is the planned share of recipients for the
// sample-ratio check (any scale, "45%" allowed). The control is the
// variant named by control when it is non-empty, else the row marked in
// the control column (true, yes, 1, x, 是…), else a variant called
// control, holdout, 对照 or 对照组.
//
// Every problem is reported with its line number, up to 20 of them, in one
// apperr.Invalid error; nothing is guessed.
func ReadTable(r io.Reader, control string) (Table, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	first, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	cr.Comma = sniffDelimiter(first)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Table{}, apperr.New(apperr.Invalid, "the file is empty; expected a header line such as variant,recipients,conversions")
	}
	if err != nil {
		return Table{}, csvError(err)
	}
	cols, ignored, err := mapHeader(header)
	if err != nil {
		return Table{}, err
	}
	t := Table{Ignored: ignored}
	var errs []string
	addErr := func(line int, format string, args ...any) {
		if len(errs) < maxRowErrors {
			errs = append(errs, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
		} else if len(errs) == maxRowErrors {
			errs = append(errs, "… (further errors not shown)")
		}
	}
	lineOf := map[string]int{}
	weightLine, weightPct, weightFirst := 0, false, ""
	var controlLines []int
	var markedControls []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Table{}, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			addErr(line, "%d fields, but the header has %d", len(rec), len(header))
			continue
		}
		get := func(c string) (string, bool) {
			i, ok := cols[c]
			if !ok {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		a := Arm{}
		bad := false
		fail := func(format string, args ...any) { addErr(line, format, args...); bad = true }

		a.Name, _ = get("variant")
		if a.Name == "" {
			fail("the variant name is empty")
		} else if prev, dup := lineOf[a.Name]; dup {
			fail("variant %q appears again (first on line %d)", a.Name, prev)
		}
		rv, _ := get("recipients")
		n, err := parseWhole(rv)
		switch {
		case err != nil:
			fail("recipients %q is not a whole number", rv)
		case n < 1:
			fail("recipients is %d; a variant needs at least one recipient", n)
		}
		a.Recipients = n
		cv, _ := get("conversions")
		k, err := parseWhole(cv)
		switch {
		case err != nil:
			fail("conversions %q is not a whole number", cv)
		case k < 0:
			fail("conversions is negative (%d)", k)
		case err == nil && n >= 1 && k > n:
			fail("%d conversions for %d recipients; conversions cannot exceed recipients", k, n)
		}
		a.Conversions = k
		if sv, ok := get("revenue_sum"); ok {
			qv, _ := get("revenue_sumsq")
			s, err1 := parseAmount(sv)
			q, err2 := parseAmount(qv)
			switch {
			case sv == "" || qv == "":
				fail("revenue_sum and revenue_sumsq must both be given on every line (or the revenue columns left out)")
			case err1 != nil:
				fail("revenue_sum %q is not a number", sv)
			case err2 != nil:
				fail("revenue_sumsq %q is not a number", qv)
			case q < 0:
				fail("revenue_sumsq is negative (%s); it is a sum of squares", qv)
			case n >= 1 && q < s*s/float64(n)*(1-1e-9)-1e-9:
				fail("revenue_sumsq %s is smaller than revenue_sum²/recipients = %.6g, which no data can give (is it the sum of squared per-recipient revenue?)", qv, s*s/float64(n))
			default:
				a.Revenue = &Moments{N: n, Sum: s, SumSq: q}
			}
		}
		if wv, ok := get("weight"); ok && wv != "" {
			w, err := parseShare(wv)
			pct := strings.HasSuffix(cleanNumber(wv), "%")
			switch {
			case err != nil || w < 0:
				fail("weight %q is not a non-negative number or percentage", wv)
			case weightLine > 0 && pct != weightPct:
				fail("weight %q mixes percentages and plain numbers (line %d has %q)", wv, weightLine, weightFirst)
			case weightLine == 0:
				weightLine, weightPct, weightFirst = line, pct, wv
			}
			a.Weight = w
		}
		if mv, ok := get("control"); ok {
			yes, err := parseMarker(mv)
			if err != nil {
				fail("control %q: use true/false, yes/no, 1/0 or leave it empty", mv)
			}
			if yes {
				controlLines = append(controlLines, line)
				markedControls = append(markedControls, a.Name)
			}
		}
		if bad {
			continue
		}
		lineOf[a.Name] = line
		t.Arms = append(t.Arms, a)
	}
	if len(errs) > 0 {
		return Table{}, apperr.New(apperr.Invalid, "%s", strings.Join(errs, "\n"))
	}
	if len(t.Arms) < 2 {
		return Table{}, apperr.New(apperr.Invalid, "the file has %d variant line(s); an experiment needs a control and at least one variant", len(t.Arms))
	}

	ci := -1
	find := func(name string) int {
		for i, a := range t.Arms {
			if a.Name == name {
				return i
			}
		}
		for i, a := range t.Arms {
			if strings.EqualFold(a.Name, name) {
				return i
			}
		}
		return -1
	}
	switch {
	case control != "":
		if ci = find(control); ci < 0 {
			return Table{}, apperr.New(apperr.Invalid, "the control %q is not a variant in the file (variants: %s)", control, t.names())
		}
		t.ControlFrom = "argument"
	case len(markedControls) > 1:
		return Table{}, apperr.New(apperr.Invalid, "line %d: marks %q as control, but line %d already marks %q; mark exactly one", controlLines[1], markedControls[1], controlLines[0], markedControls[0])
	case len(markedControls) == 1:
		ci = find(markedControls[0])
		t.ControlFrom = "column"
	case hasColumn(cols, "control"):
		return Table{}, apperr.New(apperr.Invalid, "no line is marked as the control in the control column; mark one, or name the control (--control NAME)")
	default:
		for _, cn := range controlNames {
			if ci = find(cn); ci >= 0 {
				break
			}
		}
		if ci < 0 {
			return Table{}, apperr.New(apperr.Invalid, "no control: add a control column that marks one line, or name the control (--control NAME); variants: %s", t.names())
		}
		t.ControlFrom = "name"
	}
	t.Arms[ci].Control = true
	return t, nil
}

func hasColumn(cols map[string]int, c string) bool { _, ok := cols[c]; return ok }

func (t Table) names() string {
	ns := make([]string, len(t.Arms))
	for i, a := range t.Arms {
		ns[i] = a.Name
	}
	return strings.Join(ns, ", ")
}

// mapHeader maps canonical column names to their index.
func mapHeader(header []string) (map[string]int, []string, error) {
	cols := map[string]int{}
	var ignored []string
	for i, h := range header {
		key := normalizeHeader(h)
		c, ok := canonicalOf[key]
		if !ok {
			if strings.TrimSpace(h) != "" {
				ignored = append(ignored, strings.TrimSpace(h))
			}
			continue
		}
		if j, dup := cols[c]; dup {
			return nil, nil, apperr.New(apperr.Invalid, "line 1: columns %q and %q both mean %s", strings.TrimSpace(header[j]), strings.TrimSpace(h), c)
		}
		cols[c] = i
	}
	var missing []string
	for _, c := range []string{"variant", "recipients", "conversions"} {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	_, hasSum := cols["revenue_sum"]
	_, hasSq := cols["revenue_sumsq"]
	switch {
	case len(missing) > 0:
		return nil, nil, apperr.New(apperr.Invalid, "line 1: the header lacks %s (found: %s); expected variant,recipients,conversions[,revenue_sum,revenue_sumsq] and optionally control and weight",
			strings.Join(missing, ", "), strings.Join(trimAll(header), ", "))
	case hasSum && !hasSq:
		return nil, nil, apperr.New(apperr.Invalid, "line 1: revenue_sum needs revenue_sumsq (the sum of squared per-recipient revenue) to compute a variance")
	case hasSq && !hasSum:
		return nil, nil, apperr.New(apperr.Invalid, "line 1: revenue_sumsq needs revenue_sum")
	}
	return cols, ignored, nil
}

func trimAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

func normalizeHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(width.Fold.String(h)))
	h = strings.NewReplacer(" ", "_", "-", "_", "²", "sq").Replace(h)
	return h
}

// sniffDelimiter picks tab or semicolon when the header line has more of
// them than commas.
func sniffDelimiter(b []byte) rune {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	c, t, s := bytes.Count(b, []byte{','}), bytes.Count(b, []byte{'\t'}), bytes.Count(b, []byte{';'})
	switch {
	case t > c && t >= s:
		return '\t'
	case s > c && s > t:
		return ';'
	}
	return ','
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line:
			return apperr.New(apperr.Invalid, "line %d: a quoted field that starts on this line is never closed (read up to line %d)", pe.StartLine, pe.Line)
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return apperr.New(apperr.Invalid, "line %d: a quote is misplaced (quote a whole field, and double quotes inside it)", pe.Line)
		}
		return apperr.New(apperr.Invalid, "line %d: %s", pe.Line, pe.Err.Error())
	}
	return apperr.Wrap(err, apperr.Invalid, "reading the file")
}

var thousands = regexp.MustCompile(`^[+-]?\d{1,3}([, ]\d{3})+(\.\d+)?$`)

// cleanNumber folds full-width digits and drops thousands separators and
// currency marks.
func cleanNumber(s string) string {
	s = strings.TrimSpace(width.Fold.String(s))
	s = strings.TrimLeft(s, "¥$€£")
	s = strings.TrimSuffix(s, "元")
	s = strings.TrimSpace(s)
	if thousands.MatchString(s) {
		s = strings.NewReplacer(",", "", " ", "").Replace(s)
	}
	s = strings.ReplaceAll(s, "_", "")
	return s
}

func parseWhole(s string) (int64, error) {
	c := cleanNumber(s)
	if n, err := strconv.ParseInt(c, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(c, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, errors.New("not a whole number")
	}
	return int64(f), nil
}

func parseAmount(s string) (float64, error) {
	f, err := strconv.ParseFloat(cleanNumber(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errors.New("not a number")
	}
	return f, nil
}

func parseShare(s string) (float64, error) {
	c := cleanNumber(s)
	if strings.HasSuffix(c, "%") {
		f, err := parseAmount(strings.TrimSuffix(c, "%"))
		return f / 100, err
	}
	return parseAmount(c)
}

func parseMarker(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(width.Fold.String(s))) {
	case "true", "t", "yes", "y", "1", "x", "✓", "✔", "control", "是", "对照", "是对照":
		return true, nil
	case "", "false", "f", "no", "n", "0", "-", "否", "variant", "test":
		return false, nil
	}
	return false, errors.New("not a marker")
}

// Analyze is Analyze of the table's arms, warning of the columns it
// ignored and of a control taken by its name only.
func (t Table) Analyze(opt Options) (Report, error) {
	rep, err := Analyze(t.Arms, opt)
	if err != nil {
		return rep, err
	}
	if len(t.Ignored) > 0 {
		rep.Warnings = append(rep.Warnings, "ignored columns: "+strings.Join(t.Ignored, ", "))
	}
	if t.ControlFrom == "name" {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("no control was marked; %q is taken as the control by its name", rep.Control))
	}
	return rep, nil
}

// ParseMetric reads a decision metric: conversion or revenue; anything
// else is Invalid.
func ParseMetric(s string) (Metric, error) {
	switch s {
	case "conversion", string(MetricConversion):
		return MetricConversion, nil
	case "revenue", string(MetricRevenue):
		return MetricRevenue, nil
	}
	return "", apperr.New(apperr.Invalid, "--metric %q: use conversion or revenue", s)
}
