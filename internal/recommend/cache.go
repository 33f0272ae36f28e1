package recommend

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/insight"
)

// Store is what LoadOrTrain needs from persistence: the data to train on,
// a cheap version of that data to key saved models by, and the saved
// models. Declared here, where it is used; store.Store embeds it, so both
// engines provide it.
type Store interface {
	Source
	// RecommendSourceVersion reads the version of the events, products
	// and customers without reading them.
	RecommendSourceVersion(ctx context.Context) (SourceVersion, error)
	// SaveRecommendSnapshot stores snap under snap.Name, replacing the
	// snapshot of that name; a snapshot without a name, a fingerprint or
	// a model is apperr.Invalid.
	SaveRecommendSnapshot(ctx context.Context, snap Snapshot) error
	// LoadRecommendSnapshot returns the snapshot saved under name when it
	// has that fingerprint; none, or one of another fingerprint, is
	// apperr.NotFound.
	LoadRecommendSnapshot(ctx context.Context, name, fingerprint string) (Snapshot, error)
}

// snapshotName is the one model snapshot LoadOrTrain keeps.
const snapshotName = "default"

// Origin says where LoadOrTrain got its model, for the user.
type Origin struct {
	// Reused is true when the model was loaded from a snapshot, false
	// when it was trained (and saved) now.
	Reused      bool
	Fingerprint string
	// TrainedAt and TrainSeconds are when the training that built the
	// model ran and how long it took, loading the data included.
	TrainedAt    time.Time
	TrainSeconds float64
	// Seconds is the time LoadOrTrain spent, loading or training.
	Seconds float64
	// Events is the number of events in the store (SourceVersion.Events).
	Events int64
}

// Trace holds optional hooks LoadOrTrain calls as it goes, for progress
// output while a training runs (the steps of the training itself go to
// Options.Progress); a nil Trace or hook is skipped.
type Trace struct {
	// Training is called when training starts. stale is why the saved
	// snapshot with the current fingerprint was not used (it could not be
	// decoded: damaged, or of an older format); nil when there was none
	// or force was set.
	Training func(stale error)
	// Loaded is called once the training data is read, with the time since
	// LoadOrTrain started.
	Loaded func(d *Data, elapsed time.Duration)
	// Trained is called when the training is done, with the time since
	// LoadOrTrain started.
	Trained func(elapsed time.Duration)
	// Saved is called once the model is stored, with its encoded size.
	Saved func(bytes int)
}

// LoadOrTrain returns the model of st's current data and opts: the saved
// snapshot when its fingerprint (Fingerprint) matches, otherwise a fresh
// training that is then saved for the next call. With force it always
// trains. A snapshot that cannot be decoded is only a cache miss (see
// Trace.Training). Errors of st are returned as they are; training fails
// as TrainContext does.
func LoadOrTrain(ctx context.Context, st Store, opts Options, force bool, trace *Trace) (*Model, Origin, error) {
	return loadOrTrain(ctx, st, nil, opts, force, trace)
}

// DatasetFunc returns insight's dataset of the store as it is now.
type DatasetFunc func(ctx context.Context) (*insight.Dataset, error)

// loadOrTrain is LoadOrTrain training on data's dataset (nil: one loaded
// from st now).
func loadOrTrain(ctx context.Context, st Store, data DatasetFunc, opts Options, force bool, trace *Trace) (*Model, Origin, error) {
	if data == nil {
		data = func(ctx context.Context) (*insight.Dataset, error) { return insight.Load(ctx, st) }
	}
	if trace == nil {
		trace = &Trace{}
	}
	t0 := time.Now()
	var o Origin
	v, err := st.RecommendSourceVersion(ctx)
	if err != nil {
		return nil, o, err
	}
	o.Fingerprint, o.Events = Fingerprint(v, opts), v.Events
	var stale error
	if !force {
		snap, err := st.LoadRecommendSnapshot(ctx, snapshotName, o.Fingerprint)
		switch {
		case err == nil:
			m, err := UnmarshalModel(snap.Model)
			if err == nil && m.data.catalogVersion() < v.ProductsEdited {
				// stock, price or the active flag changed since the
				// model was trained: the same model, today's availability
				var ps []catalog.Product
				if ps, err = st.ListProducts(ctx); err != nil {
					return nil, o, err
				}
				m.refreshCatalog(ps)
			}
			if err == nil {
				o.Reused, o.TrainedAt, o.TrainSeconds, o.Seconds = true, snap.CreatedAt, snap.TrainSeconds, time.Since(t0).Seconds()
				return m, o, nil
			}
			stale = err
		case !apperr.Is(err, apperr.NotFound):
			return nil, o, err
		}
	}
	if trace.Training != nil {
		trace.Training(stale)
	}
	all, err := data(ctx)
	if err != nil {
		return nil, o, err
	}
	ds, err := FromDataset(all)
	if err != nil {
		return nil, o, err
	}
	if trace.Loaded != nil {
		trace.Loaded(ds, time.Since(t0))
	}
	m, err := TrainContext(ctx, ds, opts)
	if err != nil {
		return nil, o, err
	}
	took := time.Since(t0)
	o.Seconds = took.Seconds()
	if trace.Trained != nil {
		trace.Trained(took)
	}
	b, err := MarshalModel(m)
	if err != nil {
		return nil, o, err
	}
	o.TrainedAt, o.TrainSeconds = time.Now(), o.Seconds
	err = st.SaveRecommendSnapshot(ctx, Snapshot{Name: snapshotName, Fingerprint: o.Fingerprint, Model: b, TrainSeconds: o.TrainSeconds, CreatedAt: o.TrainedAt})
	if err != nil {
		return nil, o, err
	}
	if trace.Saved != nil {
		trace.Saved(len(b))
	}
	return m, o, nil
}
