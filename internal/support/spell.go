package support

import (
	"strings"
	"unicode"
)

// Customers misspell ("camra backpak", "return polcy") and write as they
// speak ("wats ur", "theyre"). A Latin word that neither the knowledge
// base nor a product names is read as the shop's word it is one slip
// from (one letter added, dropped, changed or two swapped; two slips for
// a long word), so the search, the coverage and the unknown-word check
// all see the word she meant. A word the assistant knows in its own right
// (a cue, a country, a means of payment: "google" is not "goggle") is
// never corrected, nor is a short one, where one slip makes another word.

// colloquial are spoken and texting forms of words, read as the words.
var colloquial = map[string]string{
	"wats": "what", "wat": "what", "whats": "what", "ur": "your", "u": "you", "r": "are", "pls": "please", "plz": "please", "thx": "thanks",
	"theyre": "they're", "youre": "you're", "dont": "don't", "doesnt": "doesn't", "cant": "can't", "wont": "won't", "didnt": "didn't",
	"isnt": "isn't", "im": "i'm", "ive": "i've", "wanna": "want to", "gonna": "going to", "gotta": "have to", "abt": "about",
	"hw": "how", "cud": "could", "shud": "should", "wud": "would", "becuz": "because", "cuz": "because", "coz": "because", "tho": "though",
	"ya": "you", "yr": "your", "yrs": "years", "asap": "as soon as possible", "info": "information", "b4": "before", "2day": "today",
}

// correctWords rewrites the Latin words of the normalised search text st
// that latin (the shop's words with their document counts) lacks as the
// nearest word it has, and colloquial forms as their words.
func correctWords(st string, latin map[string]int, keep func(string) bool) string {
	if !hasLatin(st) {
		return st
	}
	var b strings.Builder
	changed := false
	word := func(w string) string {
		if c, ok := colloquial[w]; ok {
			changed = true
			return c
		}
		if len(w) < 4 || stopWords[w] || plainWords[w] || allDigits(w) || latin[w] > 0 || latin[stem(w)] > 0 || keep(w) {
			return w
		}
		if c := nearestWord(w, latin); c != "" {
			changed = true
			return c
		}
		return w
	}
	start := -1
	for i, r := range st + " " {
		isWord := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'')
		switch {
		case isWord && start < 0:
			start = i
		case !isWord && start >= 0:
			b.WriteString(word(st[start:i]))
			start = -1
			if i < len(st) {
				b.WriteRune(r)
			}
		case !isWord && i < len(st):
			b.WriteRune(r)
		}
	}
	if !changed {
		return st
	}
	return b.String()
}

// nearestWord is the word of latin within the slips allowed for w's
// length, the most common of the nearest; "" when there is none.
func nearestWord(w string, latin map[string]int) string {
	allowed := 1
	if len(w) >= 8 {
		allowed = 2
	}
	best, bestD, bestN := "", allowed+1, 0
	consider := func(v string, n int) {
		if len(v) < 4 || absInt(len(v)-len(w)) > allowed || !hasLatin(v) {
			return
		}
		// short words keep their first letter: "bask" is not "mask",
		// "ground" (coffee) not "around"
		if len(w) < 7 && v[0] != w[0] {
			return
		}
		d := slips(w, v, allowed)
		if d < bestD || d == bestD && (n > bestN || n == bestN && v < best) {
			best, bestD, bestN = v, d, n
		}
	}
	// the everyday words too: "certian" is "certain", which no policy
	// needs to say
	for v := range plainWords {
		consider(v, 0)
	}
	for v, n := range latin {
		consider(v, n)
	}
	if bestD > allowed {
		return ""
	}
	return best
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// slips is the optimal-string-alignment distance between a and b (byte
// strings of ASCII letters): insertions, deletions, substitutions and
// swaps of neighbours; it stops counting past limit.
func slips(a, b string, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// ownWords are the Latin words the assistant reads in their own right
// (its cues, the classes of general rules, the services): they are never
// taken for a slip of another word.
func ownWords() map[string]bool {
	m := map[string]bool{}
	add := func(ws []string) {
		for _, w := range ws {
			for _, f := range strings.Fields(w) {
				m[strings.Trim(f, "#.'")] = true
			}
		}
	}
	for _, c := range cues {
		add(c.words)
	}
	for _, c := range generalClasses {
		add(c.words)
	}
	add(serviceWords)
	add(extraServices)
	add(legalCues)
	add(strongNegative)
	add(fiercestNegative)
	add(defectCues)
	return m
}
