package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// BenchmarkInsertHits writes click hits (and their events) in batches of
// 5,000, as the recorder does under load.
func BenchmarkInsertHits(b *testing.B) {
	s := storetest.OpenSQLite(b)
	var sends []campaign.Send
	for i := range 1000 {
		sends = append(sends, campaign.Send{CustomerID: fmt.Sprintf("C%05d", i), Channel: "email", State: campaign.SendSent, Variant: "A"})
	}
	_, ids := storetest.SeedCampaign(b, s, "bench", campaign.EvenVariants(1), 0, sends)
	at := time.Date(2026, 11, 11, 8, 0, 0, 0, time.UTC)
	batch := make([]tracking.Hit, 5000)
	cpu0 := rusage.CPUSeconds()
	for n := 0; b.Loop(); n++ {
		for i := range batch {
			k := n*len(batch) + i
			batch[i] = tracking.Hit{Key: tracking.NewKey(), Kind: tracking.KindClick, SendID: ids[k%len(ids)], CustomerID: sends[k%len(ids)].CustomerID,
				Campaign: "bench", Channel: "email", Variant: "A", URL: "https://shop.example/p/1?utm_source=chorus&utm_medium=email", At: at.Add(time.Duration(k) * time.Millisecond)}
		}
		if _, err := s.InsertHits(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "hits/s")
	b.ReportMetric((rusage.CPUSeconds()-cpu0)/float64(b.N*len(batch))*1e6, "cpu-µs/hit")
}
