package recommend

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
)

// snapshotFormat is bumped whenever the encoded model changes shape, so
// that an older snapshot is retrained instead of misread. It is part of
// the fingerprint too, so a store holding an older snapshot reports no
// current one. 4: the history recency weights are stored once (Hist),
// no longer once for item-to-item and again for content.
const snapshotFormat = 4

// SourceVersion identifies the state of the data a model is trained on
// without reading it: stores answer it with a few aggregate queries. Any
// insert, update or delete of an event, product or customer changes it.
type SourceVersion struct {
	Events     int64 `json:"events"`
	MaxEventID int64 `json:"max_event_id"`
	MaxEventAt int64 `json:"max_event_at"` // unix microseconds
	Products   int64 `json:"products"`
	// ProductsDescribed is the latest change to a product's descriptive
	// fields (all but stock, active, price, currency and links), unix
	// microseconds: what a model learns from.
	ProductsDescribed int64 `json:"products_described_at"`
	// ProductsEdited is the latest change of any kind. It is not part of
	// the fingerprint: a model whose catalog is older than it only
	// re-reads availability (LoadOrTrain), without retraining.
	ProductsEdited int64 `json:"products_updated_at"`
	Customers      int64 `json:"customers"`
	CustomersEdit  int64 `json:"customers_updated_at"`
}

// Fingerprint keys a model snapshot: a hash of the data version, the
// training options and the snapshot format. Equal fingerprints mean that
// training again would give the same model (training is deterministic).
func Fingerprint(v SourceVersion, opts Options) string {
	return fingerprint(snapshotFormat, v, opts)
}

func fingerprint(format int, v SourceVersion, opts Options) string {
	opts = opts.withDefaults()
	v.ProductsEdited = 0 // availability is refreshed, not trained on
	b, _ := json.Marshal(struct {
		Format  int
		Version SourceVersion
		Options Options
	}{format, v, opts})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

// Snapshot is a trained model as stored: its fingerprint and the encoded
// model (MarshalModel).
type Snapshot struct {
	Name        string
	Fingerprint string
	Model       []byte
	// TrainSeconds is how long the training took (reported when reused).
	TrainSeconds float64
	CreatedAt    time.Time
}

// modelGob is the encoded form of a Model: everything scoring and the
// business rules read, nothing only training needs (the events are left
// out, so a restored model cannot be evaluated or retrained).
type modelGob struct {
	Format       int
	Customers    []string
	Items        []string
	Products     []catalog.Product
	InCatalog    []bool
	Language     []string
	TracksStock  bool
	TracksActive bool

	UI     csr
	Now    int64
	Bought [][]int32

	Pop, Trend []float32

	// Hist is Model.hist (item-to-item, re-buy and content); ContHist is
	// content's own only when its half-life differs (else nil).
	Hist     []float32
	ContHist []float32

	KNN      KNNOptions
	KNNPtr   []int32
	KNNItem  []int32
	KNNSim   []float32
	HasALS   bool
	ALSF     int
	ALSX     []float32
	ALSY     []float32
	VecPtr   []int32
	VecItem  []int32
	VecW     []float32
	PostPtr  []int32
	PostItem []int32
	PostW    []float32

	Weights []float64
	Opts    Options
	Tuning  TuneReport
	Timings map[string]time.Duration
}

// MarshalModel encodes a trained model for Save; UnmarshalModel restores
// it. Scoring a restored model gives exactly the original's lists.
func MarshalModel(m *Model) ([]byte, error) {
	d := m.data
	g := modelGob{
		Format: snapshotFormat, Customers: d.Customers, Items: d.Items, Products: d.Products, InCatalog: d.InCatalog,
		Language: d.Language, TracksStock: d.TracksStock, TracksActive: d.TracksActive,
		UI: *m.ts.ui, Now: m.ts.now, Bought: m.ts.bought,
		Pop: m.pop.scores, Trend: m.trend.scores, Hist: m.hist,
		KNN:     m.knn.opt,
		Weights: m.weights, Opts: m.opts, Tuning: m.Tuning, Timings: m.Timings,
	}
	if m.opts.ContentHalfLife != m.opts.KNN.HistoryHalfLife {
		g.ContHist = m.content.hist
	}
	g.KNNPtr, g.KNNItem, g.KNNSim = flatten(m.knn.nbrs, func(n neighbour) (int32, float32) { return n.item, n.sim })
	g.VecPtr, g.VecItem, g.VecW = flatten(m.content.vecs, func(p posting) (int32, float32) { return p.item, p.w })
	g.PostPtr, g.PostItem, g.PostW = flatten(m.content.postings, func(p posting) (int32, float32) { return p.item, p.w })
	if m.als != nil {
		g.HasALS, g.ALSF, g.ALSX, g.ALSY = true, m.als.f, m.als.x, m.als.y
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&g); err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "recommend: encode model")
	}
	return buf.Bytes(), nil
}

// UnmarshalModel decodes a model written by MarshalModel. A snapshot of
// another format or a damaged one is apperr.Invalid: retrain.
func UnmarshalModel(b []byte) (*Model, error) {
	var g modelGob
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&g); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "recommend: decode model snapshot")
	}
	if g.Format != snapshotFormat {
		return nil, apperr.New(apperr.Invalid, "recommend: model snapshot format %d, want %d", g.Format, snapshotFormat)
	}
	nItems, nCust := len(g.Items), len(g.Customers)
	if len(g.Products) != nItems || len(g.InCatalog) != nItems || len(g.Language) != nCust ||
		g.UI.Rows != nCust || g.UI.Cols != nItems || len(g.UI.Ptr) != nCust+1 || len(g.Bought) != nCust ||
		len(g.Pop) != nItems || len(g.Trend) != nItems || len(g.KNNPtr) != nItems+1 || len(g.VecPtr) != nItems+1 ||
		len(g.Hist) != len(g.UI.Ind) || (g.ContHist != nil && len(g.ContHist) != len(g.UI.Ind)) ||
		(g.HasALS && (len(g.ALSX) != nCust*g.ALSF || len(g.ALSY) != nItems*g.ALSF)) {
		return nil, apperr.New(apperr.Invalid, "recommend: model snapshot is inconsistent; retrain")
	}
	d := &Data{Customers: g.Customers, Items: g.Items, Products: g.Products, InCatalog: g.InCatalog, Language: g.Language,
		TracksStock: g.TracksStock, TracksActive: g.TracksActive,
		custIdx: make(map[string]int32, nCust), itemIdx: make(map[string]int32, nItems)}
	for c, id := range d.Customers {
		d.custIdx[id] = int32(c)
	}
	for i, sku := range d.Items {
		d.itemIdx[sku] = int32(i)
	}
	ui := g.UI
	ts := &trainSet{d: d, ui: &ui, now: g.Now, bought: g.Bought}
	m := &Model{data: d, ts: ts, opts: g.Opts, weights: g.Weights, Tuning: g.Tuning, Timings: g.Timings, hist: g.Hist}
	contHist := g.ContHist
	if contHist == nil {
		contHist = m.hist
	}
	m.pop = &popularity{scores: g.Pop, label: SourcePopularity}
	m.trend = &popularity{scores: g.Trend, label: SourceTrending}
	m.knn = &itemKNN{opt: g.KNN, ts: ts, label: SourceItemKNN, hist: m.hist,
		nbrs: unflatten(g.KNNPtr, g.KNNItem, g.KNNSim, func(i int32, w float32) neighbour { return neighbour{i, w} })}
	m.content = &content{ts: ts, hist: contHist,
		vecs:     unflatten(g.VecPtr, g.VecItem, g.VecW, func(i int32, w float32) posting { return posting{i, w} }),
		postings: unflatten(g.PostPtr, g.PostItem, g.PostW, func(i int32, w float32) posting { return posting{i, w} })}
	if g.HasALS {
		m.als = &als{f: g.ALSF, x: g.ALSX, y: g.ALSY, ts: ts}
	}
	m.assemble()
	m.prepare()
	return m, nil
}

func flatten[T any](rows [][]T, f func(T) (int32, float32)) (ptr, ind []int32, val []float32) {
	ptr = make([]int32, len(rows)+1)
	for r, row := range rows {
		for _, x := range row {
			i, v := f(x)
			ind = append(ind, i)
			val = append(val, v)
		}
		ptr[r+1] = int32(len(ind))
	}
	return ptr, ind, val
}

func unflatten[T any](ptr, ind []int32, val []float32, f func(int32, float32) T) [][]T {
	out := make([][]T, len(ptr)-1)
	all := make([]T, len(ind))
	for k := range ind {
		all[k] = f(ind[k], val[k])
	}
	for r := range out {
		if ptr[r+1] > ptr[r] {
			out[r] = all[ptr[r]:ptr[r+1]:ptr[r+1]]
		}
	}
	return out
}

// Describe is a one-line summary of a model for progress output.
func (m *Model) Describe() string {
	return fmt.Sprintf("%d customers, %d items, %d customer-item pairs", len(m.data.Customers), len(m.data.Items), m.ts.ui.nnz())
}
