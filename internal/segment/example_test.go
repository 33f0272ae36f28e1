package segment_test

import (
	"context"
	"fmt"

	"github.com/chorusmkt/chorus/internal/segment"
)

// A segment expression is compiled once and evaluated over many records.
func ExampleProgram_Filter() {
	recs := []segment.Record{
		{ID: "ann", RFM: segment.RFM{Segment: "at_risk"}, Affinity: map[string]float64{"camera": 0.6}, Consent: segment.Consent{Email: true}, CLV: 320},
		{ID: "bob", RFM: segment.RFM{Segment: "champions"}, Affinity: map[string]float64{"camera": 0.9}, Consent: segment.Consent{Email: true}, CLV: 900},
		{ID: "cat", RFM: segment.RFM{Segment: "cant_loose"}, Affinity: map[string]float64{"camera": 0.4}, CLV: 250},
	}
	prog, err := segment.Compile(`rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200`)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := prog.Filter(context.Background(), recs, 0)
	for _, i := range res.Matched {
		fmt.Println(recs[i].ID)
	}
	// Output: ann
}

// A bad expression says where it went wrong and what it could have meant.
func ExampleCompile_error() {
	_, err := segment.Compile(`rfm.segmnt == "at_risk" && consent.email`)
	fmt.Println(err)
	// Output:
	// segment expression "rfm.segmnt == \"at_risk\" && consent.email": rfm has no field "segmnt" (it has f, frequency, m, monetary, r, recency, score, segment) at 1:5
	//   rfm.segmnt == "at_risk" && consent.email
	//       ^~~~~~
	// did you mean "rfm.segment"?
	// known fields: affinity, age, attrs, brand_affinity, city, clv, consent, consent.email, consent.push, consent.sms, consent.wechat, country, days_since_last_purchase, expected_next_purchase_days, gender, id, interests, language, lifecycle, occupation, orders, p_alive, preferred_channel, price_band, revenue, rfm, rfm.f, rfm.frequency, rfm.m, rfm.monetary, rfm.r, rfm.recency, rfm.score, rfm.segment, tags
}
