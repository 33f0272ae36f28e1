package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Recommend configures the recommenders (package recommend). The defaults
// are the settings measured best on the Online Retail data with
// `chorus recommend eval`; every key can be set in YAML under recommend:
// or with the CHORUS_RECOMMEND_* variable named beside it.
type Recommend struct {
	// Implicit feedback per event type (CHORUS_RECOMMEND_PURCHASE_WEIGHT, …).
	PurchaseWeight float64 `yaml:"purchase_weight"`
	CartWeight     float64 `yaml:"cart_weight"`
	ViewWeight     float64 `yaml:"view_weight"`
	RefundWeight   float64 `yaml:"refund_weight"`

	// PopularityHalfLifeDays weights recent purchases more in the
	// popularity ranking (CHORUS_RECOMMEND_POPULARITY_HALF_LIFE_DAYS).
	PopularityHalfLifeDays float64 `yaml:"popularity_half_life_days"`
	// TrendingHalfLifeDays is the half-life of the "popular right now"
	// ranking the hybrid blends in and unknown customers get
	// (CHORUS_RECOMMEND_TRENDING_HALF_LIFE_DAYS).
	TrendingHalfLifeDays float64 `yaml:"trending_half_life_days"`
	// HistoryHalfLifeDays weights a customer's recent purchases more when
	// scoring by item similarity and content (CHORUS_RECOMMEND_HISTORY_HALF_LIFE_DAYS).
	HistoryHalfLifeDays float64 `yaml:"history_half_life_days"`

	// Item-to-item similarity (CHORUS_RECOMMEND_NEIGHBOURS, _SHRINKAGE,
	// _KNN_POW_I, _KNN_POW_J, _KNN_USER_POW, _KNN_EXPONENT, _KNN_LOG_VALUES).
	Neighbours   int     `yaml:"neighbours"`
	Shrinkage    float64 `yaml:"shrinkage"`
	KNNPowI      float64 `yaml:"knn_pow_i"`
	KNNPowJ      float64 `yaml:"knn_pow_j"`
	KNNUserPow   float64 `yaml:"knn_user_pow"`
	KNNExponent  float64 `yaml:"knn_exponent"`
	KNNLogValues bool    `yaml:"knn_log_values"`
	// KNNRecentHalfLifeDays weights each customer-item pair in the
	// item-to-item co-occurrence counts by the age of its last purchase, so
	// that similarities follow what is bought together now
	// (CHORUS_RECOMMEND_KNN_RECENT_HALF_LIFE_DAYS; 0 switches it off).
	// With tune on, the half-life is chosen on the validation period among
	// TuneRecentHalfLives (CHORUS_RECOMMEND_TUNE_RECENT_HALF_LIVES,
	// comma-separated; empty: keep the configured one).
	KNNRecentHalfLifeDays float64   `yaml:"knn_recent_half_life_days"`
	TuneRecentHalfLives   []float64 `yaml:"tune_recent_half_lives"`

	// Customer-to-customer neighbours, evaluated beside the blend
	// (CHORUS_RECOMMEND_USER_NEIGHBOURS,
	// _USER_SHRINKAGE, _USER_EXPONENT).
	UserNeighbours int     `yaml:"user_neighbours"`
	UserShrinkage  float64 `yaml:"user_shrinkage"`
	UserExponent   float64 `yaml:"user_exponent"`

	// Implicit ALS (CHORUS_RECOMMEND_ALS_FACTORS, _ALS_ITERATIONS,
	// _ALS_REGULARIZATION, _ALS_ALPHA, _ALS_LOG_CONFIDENCE, _ALS_CG_STEPS).
	ALSFactors        int     `yaml:"als_factors"`
	ALSIterations     int     `yaml:"als_iterations"`
	ALSRegularization float64 `yaml:"als_regularization"`
	ALSAlpha          float64 `yaml:"als_alpha"`
	ALSLogConfidence  bool    `yaml:"als_log_confidence"`
	ALSCGSteps        int     `yaml:"als_cg_steps"`
	// Seed makes training deterministic (CHORUS_RECOMMEND_SEED).
	Seed uint64 `yaml:"seed"`

	// Hybrid blend weights, used as given when Tune is off and as the
	// fallback when there is too little data to tune
	// (CHORUS_RECOMMEND_BLEND_TRENDING, _BLEND_ITEM_KNN, _BLEND_ALS, _BLEND_CONTENT).
	BlendTrending float64 `yaml:"blend_trending"`
	BlendItemKNN  float64 `yaml:"blend_item_knn"`
	BlendALS      float64 `yaml:"blend_als"`
	BlendContent  float64 `yaml:"blend_content"`
	// BlendRebuy weights the customer's own earlier purchases of
	// consumable items (CHORUS_RECOMMEND_BLEND_REBUY); it only applies
	// when some item is consumable.
	BlendRebuy float64 `yaml:"blend_rebuy"`
	// Tune searches the blend weights on a validation period of
	// ValidationDays carved from the end of the training events
	// (CHORUS_RECOMMEND_TUNE, CHORUS_RECOMMEND_VALIDATION_DAYS).
	Tune           bool `yaml:"tune"`
	ValidationDays int  `yaml:"validation_days"`

	// DiversityCap is the most items of one top-level category in one list;
	// 0 switches the cap off (CHORUS_RECOMMEND_DIVERSITY_CAP).
	DiversityCap int `yaml:"diversity_cap"`
	// Consumable categories (top level or any level of the path, case
	// insensitive) are recommended again after a purchase
	// (CHORUS_RECOMMEND_CONSUMABLE, comma-separated); "*" makes every
	// item repeatable, as for wholesale buyers who restock the same lines.
	Consumable []string `yaml:"consumable"`
}

func defaultRecommend() Recommend {
	return Recommend{
		PurchaseWeight: 1, CartWeight: 0.3, ViewWeight: 0.1, RefundWeight: -1,
		PopularityHalfLifeDays: 30,
		TrendingHalfLifeDays:   7,
		HistoryHalfLifeDays:    120,
		Neighbours:             200,
		Shrinkage:              10,
		KNNPowI:                0.3,
		KNNPowJ:                0.7,
		KNNUserPow:             0.75,
		KNNExponent:            1.5,
		KNNRecentHalfLifeDays:  60,
		TuneRecentHalfLives:    []float64{30, 60, 120, 0},
		UserNeighbours:         100,
		UserShrinkage:          1,
		UserExponent:           2,
		ALSFactors:             64,
		ALSIterations:          12,
		ALSRegularization:      0.1,
		ALSAlpha:               5,
		ALSLogConfidence:       true,
		ALSCGSteps:             3,
		Seed:                   1,
		BlendTrending:          0.1,
		BlendItemKNN:           0.5,
		BlendALS:               0.3,
		BlendContent:           0.1,
		BlendRebuy:             0.2,
		Tune:                   true,
		ValidationDays:         60,
		DiversityCap:           3,
		Consumable:             []string{"food", "beverage", "grocery", "consumables", "食品", "饮料", "日用品"},
	}
}

func (c *Recommend) applyEnv(env Lookup) error {
	floats := []struct {
		key string
		dst *float64
	}{
		{"CHORUS_RECOMMEND_PURCHASE_WEIGHT", &c.PurchaseWeight},
		{"CHORUS_RECOMMEND_CART_WEIGHT", &c.CartWeight},
		{"CHORUS_RECOMMEND_VIEW_WEIGHT", &c.ViewWeight},
		{"CHORUS_RECOMMEND_REFUND_WEIGHT", &c.RefundWeight},
		{"CHORUS_RECOMMEND_POPULARITY_HALF_LIFE_DAYS", &c.PopularityHalfLifeDays},
		{"CHORUS_RECOMMEND_TRENDING_HALF_LIFE_DAYS", &c.TrendingHalfLifeDays},
		{"CHORUS_RECOMMEND_HISTORY_HALF_LIFE_DAYS", &c.HistoryHalfLifeDays},
		{"CHORUS_RECOMMEND_KNN_RECENT_HALF_LIFE_DAYS", &c.KNNRecentHalfLifeDays},
		{"CHORUS_RECOMMEND_SHRINKAGE", &c.Shrinkage},
		{"CHORUS_RECOMMEND_KNN_POW_I", &c.KNNPowI},
		{"CHORUS_RECOMMEND_KNN_POW_J", &c.KNNPowJ},
		{"CHORUS_RECOMMEND_KNN_USER_POW", &c.KNNUserPow},
		{"CHORUS_RECOMMEND_KNN_EXPONENT", &c.KNNExponent},
		{"CHORUS_RECOMMEND_ALS_REGULARIZATION", &c.ALSRegularization},
		{"CHORUS_RECOMMEND_ALS_ALPHA", &c.ALSAlpha},
		{"CHORUS_RECOMMEND_BLEND_TRENDING", &c.BlendTrending},
		{"CHORUS_RECOMMEND_BLEND_ITEM_KNN", &c.BlendItemKNN},
		{"CHORUS_RECOMMEND_BLEND_ALS", &c.BlendALS},
		{"CHORUS_RECOMMEND_BLEND_CONTENT", &c.BlendContent},
		{"CHORUS_RECOMMEND_BLEND_REBUY", &c.BlendRebuy},
		{"CHORUS_RECOMMEND_USER_SHRINKAGE", &c.UserShrinkage},
		{"CHORUS_RECOMMEND_USER_EXPONENT", &c.UserExponent},
	}
	for _, f := range floats {
		if err := envFloat(env, f.dst, f.key); err != nil {
			return err
		}
	}
	ints := []struct {
		key string
		dst *int
	}{
		{"CHORUS_RECOMMEND_NEIGHBOURS", &c.Neighbours},
		{"CHORUS_RECOMMEND_USER_NEIGHBOURS", &c.UserNeighbours},
		{"CHORUS_RECOMMEND_ALS_FACTORS", &c.ALSFactors},
		{"CHORUS_RECOMMEND_ALS_ITERATIONS", &c.ALSIterations},
		{"CHORUS_RECOMMEND_ALS_CG_STEPS", &c.ALSCGSteps},
		{"CHORUS_RECOMMEND_VALIDATION_DAYS", &c.ValidationDays},
		{"CHORUS_RECOMMEND_DIVERSITY_CAP", &c.DiversityCap},
	}
	for _, f := range ints {
		if err := envInt(env, f.dst, f.key); err != nil {
			return err
		}
	}
	bools := []struct {
		key string
		dst *bool
	}{
		{"CHORUS_RECOMMEND_KNN_LOG_VALUES", &c.KNNLogValues},
		{"CHORUS_RECOMMEND_ALS_LOG_CONFIDENCE", &c.ALSLogConfidence},
		{"CHORUS_RECOMMEND_TUNE", &c.Tune},
	}
	for _, f := range bools {
		if err := envBool(env, f.dst, f.key); err != nil {
			return err
		}
	}
	seed := int(c.Seed)
	if err := envInt(env, &seed, "CHORUS_RECOMMEND_SEED"); err != nil {
		return err
	}
	if seed < 0 {
		return apperr.New(apperr.Invalid, "CHORUS_RECOMMEND_SEED=%d must not be negative", seed)
	}
	c.Seed = uint64(seed)
	if v, ok := env("CHORUS_RECOMMEND_TUNE_RECENT_HALF_LIVES"); ok {
		c.TuneRecentHalfLives = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || f < 0 {
				return apperr.New(apperr.Invalid, "CHORUS_RECOMMEND_TUNE_RECENT_HALF_LIVES=%q: want comma-separated days >= 0", v)
			}
			c.TuneRecentHalfLives = append(c.TuneRecentHalfLives, f)
		}
	}
	if v, ok := env("CHORUS_RECOMMEND_CONSUMABLE"); ok {
		c.Consumable = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				c.Consumable = append(c.Consumable, s)
			}
		}
	}
	return nil
}

func (c Recommend) validate() error {
	bad := func(key string, format string, args ...any) error {
		return apperr.New(apperr.Invalid, "recommend."+key+" "+format, args...)
	}
	switch {
	case c.PurchaseWeight <= 0:
		return bad("purchase_weight", "is %g; it must be positive (a purchase is the strongest signal)", c.PurchaseWeight)
	case c.CartWeight < 0 || c.ViewWeight < 0:
		return bad("cart_weight/view_weight", "must not be negative")
	case c.RefundWeight > 0:
		return bad("refund_weight", "is %g; it must be zero or negative (a refund takes a purchase back)", c.RefundWeight)
	case c.PopularityHalfLifeDays < 0 || c.TrendingHalfLifeDays < 0 || c.HistoryHalfLifeDays < 0 || c.KNNRecentHalfLifeDays < 0 || slices.ContainsFunc(c.TuneRecentHalfLives, func(f float64) bool { return f < 0 }):
		return bad("*_half_life_days", "must not be negative (0 switches decay off)")
	case c.Neighbours < 1:
		return bad("neighbours", "is %d; it must be at least 1", c.Neighbours)
	case c.Shrinkage < 0:
		return bad("shrinkage", "is %g; it must not be negative", c.Shrinkage)
	case c.KNNExponent <= 0:
		return bad("knn_exponent", "is %g; it must be positive", c.KNNExponent)
	case c.UserNeighbours < 1:
		return bad("user_neighbours", "is %d; it must be at least 1", c.UserNeighbours)
	case c.UserShrinkage < 0 || c.UserExponent <= 0:
		return bad("user_shrinkage/user_exponent", "shrinkage must not be negative and the exponent must be positive")
	case c.ALSFactors < 1 || c.ALSFactors > 1024:
		return bad("als_factors", "is %d; use 1..1024", c.ALSFactors)
	case c.ALSIterations < 1:
		return bad("als_iterations", "is %d; it must be at least 1", c.ALSIterations)
	case c.ALSRegularization < 0 || c.ALSAlpha < 0:
		return bad("als_regularization/als_alpha", "must not be negative")
	case c.ALSCGSteps < 1:
		return bad("als_cg_steps", "is %d; it must be at least 1", c.ALSCGSteps)
	case c.BlendTrending < 0 || c.BlendItemKNN < 0 || c.BlendALS < 0 || c.BlendContent < 0 || c.BlendRebuy < 0:
		return bad("blend_*", "weights must not be negative")
	case c.BlendTrending+c.BlendItemKNN+c.BlendALS+c.BlendContent == 0:
		return bad("blend_*", "weights are all zero; set at least one")
	case c.ValidationDays < 1:
		return bad("validation_days", "is %d; it must be at least 1", c.ValidationDays)
	case c.DiversityCap < 0:
		return bad("diversity_cap", "is %d; it must not be negative (0 switches the cap off)", c.DiversityCap)
	}
	return nil
}
