package export

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/delivery"
)

func TestAudienceSender(t *testing.T) {
	if _, err := NewAudienceSender(config.ExportDelivery{Dir: t.TempDir(), AdPlatform: "myspace"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("unknown platform: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "ex")
	a, err := NewAudienceSender(config.ExportDelivery{Dir: dir, DefaultRegion: "CN", AdPlatform: "meta"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the folder exists before the first chunk: %v", err)
	}
	msgs := []delivery.Message{
		{Key: "k1", Channel: delivery.Ad, CampaignID: "双11", To: "Lina@Example.com", Data: map[string]string{"phone": "13800138000"}},
		{Key: "k2", Channel: delivery.Ad, CampaignID: "双11", To: "", Data: map[string]string{"phone": ""}},
	}
	ctx := context.Background()
	rs, errs := a.SendBatch(ctx, msgs)
	if errs[0] != nil || rs[0].ID != "k1" || filepath.Dir(rs[0].PeerID) != dir {
		t.Fatalf("first: %+v %v", rs[0], errs[0])
	}
	if e := delivery.AsError(errs[1]); e.Class != delivery.Permanent || e.Code != SkipNoIdentifier {
		t.Fatalf("no identifier: %+v", e)
	}
	b1, _ := os.ReadFile(rs[0].PeerID)
	// the chunk again, in another order (a retried batch): the same file, the same bytes
	rs2, _ := a.SendBatch(ctx, []delivery.Message{msgs[1], msgs[0]})
	b2, _ := os.ReadFile(rs2[1].PeerID)
	if rs2[1].PeerID != rs[0].PeerID || string(b1) != string(b2) || len(b1) == 0 {
		t.Fatalf("retry wrote %s (%d bytes), first %s (%d bytes)", rs2[1].PeerID, len(b2), rs[0].PeerID, len(b1))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.meta.csv"))
	if len(files) != 1 {
		t.Fatalf("files: %v", files)
	}
}
