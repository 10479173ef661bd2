package ledger

import "strings"

// CertificateKey is the key under which a certificate is unique across
// the ledger (methodology 2026.1 G3): its registry and its id. Ids of
// different registries may coincide, so the registry is part of the key
// when the claim names one; a claim without a registry keys its ids with
// an empty registry.
func CertificateKey(registry, id string) string { return registry + "\x00" + id }

// CertificatePattern is the shape of a certificate id: letters folded to
// lower case and every digit replaced by '#', so that JP-NFC-2025-000118
// and jp-nfc-2025-000119 share jp-nfc-####-######. Claims of two
// operators with certificates of one pattern, the same kWh and the same
// vintage are near-misses the regulator reviews (a certificate renamed by
// a digit to pass the uniqueness check looks like this).
func CertificatePattern(registry, id string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(registry))
	b.WriteByte(0)
	for _, r := range strings.ToLower(id) {
		if r >= '0' && r <= '9' {
			r = '#'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// certificateFreeInstruments are the instruments that may convey the
// attributes without a certificate where a market has no certificate
// system (Scope 2 Guidance, quality criteria).
var certificateFreeInstruments = []string{"ppa", "green_tariff"}

// InstrumentApplies reports whether a renewable claim counts in the
// market-based method under methodology m. From 2026.1 (G3) a ppa or
// green_tariff without certificate ids counts only in a market (the
// claim's country) the set marks no_certificate_system: elsewhere the
// attributes were not shown to be conveyed and retired (Scope 2
// Guidance, quality criteria). Before 2026.1 every claim counts.
func (fs *FactorSet) InstrumentApplies(m string, c RenewableClaim) bool {
	if !MethodologyAtLeast(m, Methodology20261) {
		return true
	}
	if len(c.Certificates) > 0 || !OneOf(c.Instrument, certificateFreeInstruments) {
		return true
	}
	country, _, _ := strings.Cut(fs.CanonicalGrid(c.Grid), "-")
	return fs.Markets[country].NoCertificateSystem
}
