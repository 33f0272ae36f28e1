package campaign

import (
	"crypto/sha256"
	"encoding/binary"
)

// Arm is where a recipient falls in a campaign's experiment.
type Arm struct {
	// Holdout recipients get nothing; they are the control for lift.
	Holdout bool `json:"holdout"`
	// Variant indexes Campaign.Variants; -1 for holdout.
	Variant int `json:"variant"`
}

// unit maps (salt, campaign, customer) to a uniform number in [0, 1),
// the same on every machine and in every process.
func unit(salt, campaign, customer string) float64 {
	h := sha256.New()
	h.Write([]byte(salt))
	h.Write([]byte{0})
	h.Write([]byte(campaign))
	h.Write([]byte{0})
	h.Write([]byte(customer))
	var sum [sha256.Size]byte
	return float64(binary.BigEndian.Uint64(h.Sum(sum[:0]))>>11) / (1 << 53)
}

// Assign places a customer in a campaign deterministically: a hash of the
// campaign's key (its name) and the customer's id decides, so a relaunch,
// another worker or a report recomputing it gets the same arm. The holdout
// and the variant draw on independent hashes, so the variants split the
// non-holdout recipients by their weights whatever the holdout share.
func Assign(key, customerID string, holdout float64, variants []Variant) Arm {
	if holdout > 0 && unit("chorus/holdout/v1", key, customerID) < holdout {
		return Arm{Holdout: true, Variant: -1}
	}
	if len(variants) <= 1 {
		return Arm{Variant: 0}
	}
	total := 0.0
	for _, v := range variants {
		total += v.Weight
	}
	u := unit("chorus/variant/v1", key, customerID) * total
	for i, v := range variants {
		if u < v.Weight {
			return Arm{Variant: i}
		}
		u -= v.Weight
	}
	return Arm{Variant: len(variants) - 1} // rounding at the top edge
}
