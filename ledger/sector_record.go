package ledger

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// KindSectorRecorded records a regulator's sector view of a span, for
// one jurisdiction or a set of them, as the ledger stood at a given size
// and time: the figures, filing status and findings a sector report
// prints.
//
// A sector report that carried what its figures are computed from would
// attach every return its operators filed up to the span, with ten years
// of history for the e-waste estimate: thousands of entries, a few
// megabytes to gather, compress and draw on every download. It carries
// this one entry instead. Its offline check proves that the log recorded
// these figures, under the log's signature; that they are right is
// checked by anyone who holds the entries, who computes the view of the
// first At entries as of AsOf again and compares (ictledger verify
// records). A wrong record is then signed evidence against the server.
const KindSectorRecorded Kind = "sector.recorded"

// SectorRecorded is the payload of a sector.recorded entry.
type SectorRecorded struct {
	Period string `json:"period"` // the span: "2025-Q3" or "2025"
	// Jurisdictions are the countries the view covers: one ISO 3166-1
	// code, several in code order, or AllJurisdictions alone.
	Jurisdictions []string `json:"jurisdictions"`
	// At is how many entries the view is of (the first At of the log),
	// and Root their tree hash (tlog.Hash's base64): the view's point,
	// which the record's own entry, at or after it, may follow.
	At   uint64 `json:"at"`
	Root string `json:"root"`
	// AsOf is the time lateness is counted at: an operator that has not
	// filed is late once its deadline is past, which no entry records.
	// It is at most the record's own entry time.
	AsOf time.Time `json:"as_of"`
	// View is the sector view (disclosure.SectorView, canonical JSON):
	// every figure exact, operators named by id and by name.
	View json.RawMessage `json:"view"`
	// Build names the build of the server that computed the view (the
	// hex of its buildid.ID), or is empty when it could not tell. Only
	// that build reuses the record without computing the view again; a
	// check by another build that finds a difference says so, since a
	// calculation may have been corrected between the two.
	Build string `json:"build,omitempty"`
}

// Check holds the record to what every sector.recorded entry must be: a
// span, a scope, a point with its tree hash and time, and a view that is
// a JSON object. It does not judge the figures (see KindSectorRecorded).
func (r *SectorRecorded) Check() error {
	if _, err := ParseSpan(r.Period); err != nil {
		return fmt.Errorf("sector record: period: %w", err)
	}
	if err := CheckScope(r.Jurisdictions); err != nil {
		return fmt.Errorf("sector record: jurisdictions: %w", err)
	}
	if r.At == 0 {
		return fmt.Errorf("sector record: at must be a tree size above zero")
	}
	if _, err := tlog.ParseHash(r.Root); err != nil {
		return fmt.Errorf("sector record: root: %w", err)
	}
	if r.AsOf.IsZero() {
		return fmt.Errorf("sector record: as_of must be a time")
	}
	if len(r.View) == 0 || r.View[0] != '{' {
		return fmt.Errorf("sector record: view must be a JSON object")
	}
	if b, err := hex.DecodeString(r.Build); err != nil || len(b) != 0 && len(b) != 32 {
		return fmt.Errorf("sector record: build must be empty or 64 hex digits")
	}
	return nil
}

// Key is the record's scope and span, which the latest record of each is
// kept under: "TH|2025-Q3", "JP,TH|2025", "*|2025-Q3".
func (r *SectorRecorded) Key() string { return SectorRecordKey(r.Jurisdictions, r.Period) }

// SectorRecordKey is the key of a scope's records of a span.
func SectorRecordKey(jurisdictions []string, period string) string {
	return strings.Join(jurisdictions, ",") + "|" + period
}

// CheckScope holds a list of jurisdictions to what a sector view covers:
// AllJurisdictions alone, or ISO 3166-1 codes in code order, each once.
func CheckScope(js []string) error {
	if len(js) == 0 {
		return fmt.Errorf("names no jurisdiction")
	}
	if slices.Contains(js, AllJurisdictions) {
		if len(js) != 1 {
			return fmt.Errorf("%q stands alone", AllJurisdictions)
		}
		return nil
	}
	for i, c := range js {
		if !IsCountryCode(c) {
			return fmt.Errorf("%q is not an ISO 3166-1 alpha-2 code", c)
		}
		if i > 0 && c <= js[i-1] {
			return fmt.Errorf("%s follows %s: the codes are listed once each, in order", c, js[i-1])
		}
	}
	return nil
}
