package support

import (
	"strings"
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Chinese scripts. The knowledge base, the catalog and every intent cue
// are written in Simplified Chinese; a Traditional message (繁體) is
// folded to Simplified for the rules and the retrieval, and its answer is
// converted back, so the customer reads her own script.
const (
	ScriptHans = "Hans" // Simplified
	ScriptHant = "Hant" // Traditional
)

// Scripts converts between Simplified and Traditional Chinese with
// OpenCC's dictionaries (phrases first, then characters: 头发 → 頭髮 but
// 发货 → 發貨, which no character table gets right). The dictionaries
// are built on first use (the reverse one, about 40 ms, only when a
// Traditional message arrives). It is safe for concurrent use.
type Scripts struct {
	t2sOnce, s2tOnce sync.Once
	t2s, s2t         *opencc.OpenCC
	t2sErr, s2tErr   error
}

func (s *Scripts) toSimplified() (*opencc.OpenCC, error) {
	s.t2sOnce.Do(func() { s.t2s, s.t2sErr = opencc.New("t2s") })
	return s.t2s, s.t2sErr
}

func (s *Scripts) toTraditional() (*opencc.OpenCC, error) {
	s.s2tOnce.Do(func() { s.s2t, s.s2tErr = opencc.New("s2t") })
	return s.s2t, s.s2tErr
}

// Fold returns text in Simplified Chinese and the script it was written
// in: ScriptHant when folding changed a character, ScriptHans when the
// text has Han characters and none changed, "" when it has none. Text
// without Han characters is returned as it is.
func (s *Scripts) Fold(text string) (string, string, error) {
	if !hasHan(text) {
		return text, "", nil
	}
	cc, err := s.toSimplified()
	if err != nil {
		return "", "", apperr.Wrap(err, apperr.Internal, "load the Traditional-to-Simplified dictionary")
	}
	out, err := cc.Convert(text)
	if err != nil {
		return "", "", apperr.Wrap(err, apperr.Internal, "convert to Simplified Chinese")
	}
	if out != text {
		return simplifiedVariants.Replace(out), ScriptHant, nil
	}
	return text, ScriptHans, nil
}

// ToTraditional converts Simplified text to Traditional; Latin text,
// digits, citation markers and punctuation are left as they are.
func (s *Scripts) ToTraditional(text string) (string, error) {
	if !hasHan(text) {
		return text, nil
	}
	cc, err := s.toTraditional()
	if err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "load the Simplified-to-Traditional dictionary")
	}
	out, err := cc.Convert(text)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "convert to Traditional Chinese")
	}
	return out, nil
}

// simplifiedVariants are words OpenCC's character table leaves in a form
// Simplified Chinese does not write them in (帳 → 帐, where money is 账):
// 到帳 must meet the 到账 of the policies. The words Taiwan writes for
// what the policies name otherwise are folded too: a 信箱 (mailbox) is
// the 邮箱 an e-invoice is sent to, a 行动电源 the 移动电源 (power bank), 出货 the 发货 (dispatch).
var simplifiedVariants = strings.NewReplacer("电子信箱", "电子邮箱", "信箱", "邮箱", "电邮", "邮箱", "行动电源", "移动电源", "出货", "发货", "到帐", "到账", "帐户", "账户", "帐号", "账号", "帐单", "账单", "转帐", "转账", "对帐", "对账", "记帐", "记账", "帐款", "账款")

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
