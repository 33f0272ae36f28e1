package insight

import "context"

// RFMSegmentNames returns what names customers' current RFM segments,
// computed from src with opts on each call (a campaign report split by
// segment: tracking.Segmenter). Customers without a segment are left out.
func RFMSegmentNames(src Source, opts Options) func(ctx context.Context, ids []string) (map[string]string, error) {
	return func(ctx context.Context, ids []string) (map[string]string, error) {
		ds, err := Load(ctx, src)
		if err != nil {
			return nil, err
		}
		snap, err := Compute(ds, opts)
		if err != nil {
			return nil, err
		}
		out := make(map[string]string, len(ids))
		for _, id := range ids {
			if m, ok := snap.Get(id); ok && m.RFM.Segment != "" {
				out[id] = m.RFM.Segment
			}
		}
		return out, nil
	}
}
