package service

import (
	"fmt"

	"github.com/ictledger/ictledger/ledger"
)

// uniqueCertificates reports whether a return filed under factor set fs
// must claim only certificates no other return claims: from methodology
// 2026.1 (G3) a certificate counts once in the whole ledger.
func uniqueCertificates(fs *ledger.FactorSet) bool {
	return ledger.MethodologyAtLeast(fs.MethodologyOf(), ledger.Methodology20261)
}

// certificateKeys are the commit keys of the certificates a return
// claims, so that two filings of one group commit cannot both claim one
// certificate: each is checked against the state before the other is
// applied (see change.keys).
func certificateKeys(r *ledger.Return, fs *ledger.FactorSet) []string {
	if !uniqueCertificates(fs) {
		return nil
	}
	var keys []string
	for _, c := range r.RenewableClaims {
		for _, id := range c.Certificates {
			keys = append(keys, "cert:"+ledger.CertificateKey(c.Registry, id))
		}
	}
	return keys
}

// certificatesFree checks, at commit time, that no other return claims a
// certificate of r: the filing checked it too, but another filing may
// have been committed since. It is EInvalid (422) naming each field and
// the return that claims it, as the filing's own check is.
func (s *Service) certificatesFree(operator string, r *ledger.Return, fs *ledger.FactorSet) error {
	if !uniqueCertificates(fs) {
		return nil
	}
	var fields []ledger.FieldError
	for i, c := range r.RenewableClaims {
		for k, id := range c.Certificates {
			if other := s.st.CertificateClaimedBy(operator, r.Period, c.Registry, id); other != "" {
				fields = append(fields, ledger.FieldError{Path: fmt.Sprintf("renewable_claims[%d].certificates[%d]", i, k),
					Message: fmt.Sprintf("certificate %q is already claimed by return %s: a certificate counts once in the ledger", id, other)})
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &ledger.Error{Code: ledger.EInvalid, Message: fmt.Sprintf("%s: %s", fields[0].Path, fields[0].Message), Fields: fields}
}

// ruleCertificateNearMiss names the regulator's anomaly of two operators
// claiming look-alike certificates (G3).
const ruleCertificateNearMiss = "certificate_near_miss"

// markCertificateNearMisses adds to each row's anomalies the near-misses
// of the certificates its returns in the view claim: a certificate of
// another operator's latest version (any quarter) with an id of the same
// pattern, on a claim of the same kWh and vintage. The ledger-wide rule
// refuses the same certificate twice; a certificate renamed by a digit
// would pass it and shows here.
func (s *Service) markCertificateNearMisses(out *SectorMetrics) {
	for i := range out.Rows {
		row := &out.Rows[i]
		for _, id := range row.Returns {
			for _, l := range s.st.CertificateLookalikes(id) {
				m, o := l.Mine, l.Theirs
				row.Outliers = append(row.Outliers, ledger.Warning{Rule: ruleCertificateNearMiss,
					Path: fmt.Sprintf("renewable_claims[%d].certificates", m.Claim),
					Message: fmt.Sprintf("certificate %q of return %s looks like %q claimed by %s in return %s: the same id pattern, %s kWh and vintage %s",
						m.ID, m.ReturnID, o.ID, o.Operator, o.ReturnID, m.KWh, vintageText(m.Vintage, m.VintageMonth))})
			}
		}
	}
}

// vintageText is a vintage as a year, or year-month when the month is known.
func vintageText(year, month int) string {
	if month == 0 {
		return fmt.Sprint(year)
	}
	return fmt.Sprintf("%d-%02d", year, month)
}
