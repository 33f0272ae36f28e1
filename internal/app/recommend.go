package app

import (
	"context"
	"encoding/json"
	"io"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/recommend"
)

// RecommendRequest names whom to recommend K items for: one customer, the
// members of a saved segment, or a list of customer ids; exactly one.
type RecommendRequest struct {
	Customer string
	Segment  string
	IDs      []string
	// IDsGiven is true when the list was asked for (it may be empty).
	IDsGiven bool
	K        int
}

// Recommendations are the current model's items for each customer asked
// for. As JSON they are the one customer's batch, or the list of batches.
type Recommendations struct {
	// Origin says whether the model was reused or trained now.
	Origin  recommend.Origin
	Batches []recommend.Batch
	single  bool
}

// RecommendFor recommends with the current model (trained and saved on
// first use, reused until the data change). Asking for fewer than one
// item, or for not exactly one of a customer, a segment and a list, is
// Invalid; an unknown customer or segment is NotFound.
func (a *App) RecommendFor(ctx context.Context, req RecommendRequest) (Recommendations, error) {
	if req.K < 1 {
		return Recommendations{}, apperr.New(apperr.Invalid, "--k is %d; ask for at least 1 item", req.K)
	}
	sources := 0
	for _, set := range []bool{req.Customer != "", req.Segment != "", req.IDsGiven} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return Recommendations{}, apperr.New(apperr.Invalid, "name exactly one of: a CUSTOMER argument, --segment NAME, --customers FILE")
	}
	ids := req.IDs
	var err error
	switch {
	case req.Segment != "":
		ids, err = a.Segments.Members(ctx, req.Segment)
	case req.Customer != "":
		ids, err = []string{req.Customer}, a.Known(ctx, req.Customer)
	}
	if err != nil {
		return Recommendations{}, err
	}
	m, origin, err := a.Recommend.Model(ctx, false)
	if err != nil {
		return Recommendations{}, err
	}
	bs, err := m.RecommendMany(ctx, ids, req.K)
	return Recommendations{Origin: origin, Batches: bs, single: req.Customer != ""}, err
}

// WriteText writes the items for a person: one customer's list, or a
// table of every customer's.
func (r Recommendations) WriteText(w io.Writer) error {
	if r.single && len(r.Batches) == 1 {
		return r.Batches[0].WriteText(w)
	}
	return recommend.WriteBatches(w, r.Batches)
}

// MarshalJSON is the one customer's batch, or the list of batches.
func (r Recommendations) MarshalJSON() ([]byte, error) {
	if r.single && len(r.Batches) == 1 {
		return json.Marshal(r.Batches[0])
	}
	return json.Marshal(r.Batches)
}
