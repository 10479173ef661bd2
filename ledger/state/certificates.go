package state

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	memdb "github.com/hashicorp/go-memdb"
	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// Certificate is one energy attribute certificate claimed by the latest
// version of a return (methodology 2026.1 G3: a certificate counts once
// in the ledger). It is derived from the return entries: a filing adds
// its certificates, a restatement moves them to the new version (those
// it no longer claims are released).
type Certificate struct {
	Key          string // ledger.CertificateKey(Registry, ID)
	ReturnID     string
	Registry     string
	ID           string
	Operator     string
	Period       ledger.Period
	Claim        int    // index of the claim in renewable_claims
	KWh          string // the claim's kWh, as a canonical decimal
	Vintage      int
	VintageMonth int    // 0 when not given
	Near         string // nearKey: pattern of the id, kWh and vintage
	Seq          uint64 // of the version's entry
}

// claimHead is what the state reads of a renewable claim.
type claimHead struct {
	Registry     string          `json:"registry"`
	Certificates []string        `json:"certificates"`
	KWh          json.RawMessage `json:"kwh"`
	Vintage      int             `json:"vintage"`
	VintageMonth int             `json:"vintage_month"`
}

// nearKey is the key under which claims look alike: the certificate id's
// pattern (ledger.CertificatePattern), the claim's kWh and vintage.
func nearKey(registry, id, kwh string, vintage, month int) string {
	return fmt.Sprintf("%s\x00%s\x00%d-%d", ledger.CertificatePattern(registry, id), kwh, vintage, month)
}

// claimCertificatesTxn releases the certificates of the version a filing
// supersedes (released: its Certificates) and claims the filing's own,
// returning the keys of those rv now holds: a certificate the new version
// claims again moves to it, one it drops is released. A certificate
// another return holds stays with that return: the filing path refuses
// such a claim (from 2026.1), and what the journal holds replays without
// failing. The version keeps its keys itself (ReturnVersion.Certificates)
// rather than the table indexing them by version: an index costs a
// radix-tree insert per certificate on every filing and replay, and only
// a restatement and the near-miss check need a version's certificates.
func claimCertificatesTxn(txn *memdb.Txn, released []string, rv *ReturnVersion, claims []claimHead) ([]string, error) {
	for _, key := range released {
		raw, err := txn.First(tableCerts, indexID, key)
		if err != nil {
			return nil, err
		}
		if c, ok := raw.(*Certificate); ok && c.ReturnID == rv.Supersedes {
			if err := txn.Delete(tableCerts, c); err != nil {
				return nil, err
			}
		}
	}
	var held []string
	for i, c := range claims {
		kwh := canonicalKWh(c.KWh)
		for _, id := range c.Certificates {
			key := ledger.CertificateKey(c.Registry, id)
			holder, err := txn.First(tableCerts, indexID, key)
			if err != nil {
				return nil, err
			}
			if holder != nil {
				continue // the first claimer keeps it (or this return, listing it twice)
			}
			if err := txn.Insert(tableCerts, &Certificate{Key: key, ReturnID: rv.ID,
				Registry: c.Registry, ID: id, Operator: rv.Operator, Period: rv.Period, Claim: i, KWh: kwh,
				Vintage: c.Vintage, VintageMonth: c.VintageMonth, Near: nearKey(c.Registry, id, kwh, c.Vintage, c.VintageMonth),
				Seq: rv.Seq}); err != nil {
				return nil, err
			}
			held = append(held, key)
		}
	}
	return held, nil
}

// canonicalKWh is a claim's kWh as the near-miss key compares it:
// "1000.0" and "1000" are one quantity. What does not parse (never
// written by this service) is kept as written: replay must not fail.
func canonicalKWh(raw json.RawMessage) string {
	s := strings.Trim(string(raw), `"`)
	if d, err := decimal.NewFromString(s); err == nil {
		return d.String()
	}
	return s
}

// CertificateClaim is the latest version that holds the certificate
// (registry, id), or nil when none claims it.
func (s *State) CertificateClaim(registry, id string) *Certificate {
	return first[*Certificate](s, tableCerts, indexID, ledger.CertificateKey(registry, id))
}

// CertificateClaimedBy is the return of another operator, or of the
// operator's other quarter, that holds the certificate (registry, id),
// "" when none: the return a filing of operator for quarter p may not
// claim it beside. A restatement of the same quarter may claim its own
// certificates again.
func (s *State) CertificateClaimedBy(operator string, p ledger.Period, registry, id string) string {
	if c := s.CertificateClaim(registry, id); c != nil && (c.Operator != operator || c.Period != p) {
		return c.ReturnID
	}
	return ""
}

// Lookalike is a near-miss: a certificate of one return and one of
// another operator's return with ids of one pattern, on claims of the
// same kWh and vintage.
type Lookalike struct {
	Mine, Theirs *Certificate
}

// CertificateLookalikes lists the near-misses of the certificates a
// return version holds against those other operators' latest versions
// hold, in the order of the version's certificates and then of the
// others' filing.
func (s *State) CertificateLookalikes(returnID string) []Lookalike {
	txn := s.db.Txn(false)
	rv := firstIn[*ReturnVersion](txn, tableReturns, indexID, returnID)
	if rv == nil {
		return nil
	}
	var mine []*Certificate
	for _, key := range rv.Certificates {
		if c := firstIn[*Certificate](txn, tableCerts, indexID, key); c != nil && c.ReturnID == returnID {
			mine = append(mine, c)
		}
	}
	sort.Slice(mine, func(i, j int) bool { return mine[i].Key < mine[j].Key })
	var out []Lookalike
	for _, m := range mine {
		it, err := txn.Get(tableCerts, indexNear, m.Near)
		if err != nil {
			panic(err)
		}
		others := collect[*Certificate](it)
		sort.Slice(others, func(i, j int) bool { return others[i].Seq < others[j].Seq })
		for _, o := range others {
			if o.Operator != m.Operator {
				out = append(out, Lookalike{Mine: m, Theirs: o})
			}
		}
	}
	return out
}
