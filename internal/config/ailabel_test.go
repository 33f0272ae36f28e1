package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/config"
)

func TestAILabelPlacement(t *testing.T) {
	cfg, err := config.Load("", envOf(map[string]string{"CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT": "sms=suffix, weibo=none,email=prefix"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	p := cfg.Compliance.AILabel.Placement
	if len(p) != 3 || p["sms"] != "suffix" || p["weibo"] != "none" || p["email"] != "prefix" {
		t.Fatalf("placement = %v", p)
	}
	if _, err := config.Load("", envOf(map[string]string{"CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT": "sms"})); err == nil ||
		!strings.Contains(err.Error(), "CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT") {
		t.Fatalf("malformed env: %v", err)
	}
	cfg, err = config.Load("", envOf(map[string]string{"CHORUS_COMPLIANCE_AI_LABEL_PLACEMENT": "sms=middle"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "compliance.ai_label.placement.sms") {
		t.Fatalf("bad placement validated: %v", err)
	}

	path := filepath.Join(t.TempDir(), "chorus.yaml")
	yaml := "compliance:\n  ai_label:\n    position: prefix\n    placement:\n      sms: suffix\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = config.Load(path, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if l := cfg.Compliance.AILabel; l.Position != "prefix" || l.Placement["sms"] != "suffix" || !l.Enabled || l.ZH != "AI生成" {
		t.Fatalf("from file: %+v", l)
	}
}
