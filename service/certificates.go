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
