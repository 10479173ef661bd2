package filing

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// claimFindings validates r and lists what renewable_claims got: each
// problem as "path: message" and each warning as "rule path".
func claimFindings(t *testing.T, r *ledger.Return, c Context) (probs, warns []string) {
	t.Helper()
	ps, ws := Validate(r, c)
	for _, p := range ps {
		if !strings.HasPrefix(p.Path, "renewable_claims") {
			t.Fatalf("unexpected problem %s: %s", p.Path, p.Message)
		}
		probs = append(probs, p.Path+": "+p.Message)
	}
	for _, w := range ws {
		if strings.HasPrefix(w.Path, "renewable_claims") {
			warns = append(warns, w.Rule+" "+w.Path)
		}
	}
	return probs, warns
}

// TestVintageWindow: G3's window for the example's reporting year 2025 is
// July 2024 to March 2026; inside it but outside 2025 warns, outside it
// is a 422 naming the field; a year-only vintage of 2024 or 2026 warns
// that the window cannot be confirmed. Under 2025.1 the vintage is a year
// from 1990 to the reporting year, as before.
func TestVintageWindow(t *testing.T) {
	month := func(m int) *int { return &m }
	cases := []struct {
		name    string
		v2026   bool
		vintage int
		month   *int
		problem string // path and start of the message, "" for none
		warning string // "rule path", "" for none
	}{
		{name: "reporting year", v2026: true, vintage: 2025},
		{name: "reporting year with month", v2026: true, vintage: 2025, month: month(12)},
		{name: "July before: first month of the window", v2026: true, vintage: 2024, month: month(7),
			warning: "vintage_outside_year renewable_claims[0].vintage_month"},
		{name: "June before: outside", v2026: true, vintage: 2024, month: month(6),
			problem: "renewable_claims[0].vintage_month: vintage 2024-06 is outside the window July 2024 to March 2026"},
		{name: "March after: last month of the window", v2026: true, vintage: 2026, month: month(3),
			warning: "vintage_outside_year renewable_claims[0].vintage_month"},
		{name: "April after: outside", v2026: true, vintage: 2026, month: month(4),
			problem: "renewable_claims[0].vintage_month: vintage 2026-04 is outside the window"},
		{name: "year before, no month", v2026: true, vintage: 2024,
			warning: "vintage_month_missing renewable_claims[0].vintage"},
		{name: "year after, no month", v2026: true, vintage: 2026,
			warning: "vintage_month_missing renewable_claims[0].vintage"},
		{name: "two years before", v2026: true, vintage: 2023,
			problem: "renewable_claims[0].vintage: must be within July 2024 to March 2026"},
		{name: "month 13", v2026: true, vintage: 2025, month: month(13),
			problem: "renewable_claims[0].vintage_month: must be a month from 1 to 12; got 13"},
		{name: "month 0 under 2025.1", vintage: 2025, month: month(0),
			problem: "renewable_claims[0].vintage_month: must be a month from 1 to 12; got 0"},
		{name: "2025.1: year before, no warning", vintage: 2023},
		{name: "2025.1: the month is not checked against a window", vintage: 2020, month: month(1)},
		{name: "2025.1: year after is refused", vintage: 2026,
			problem: "renewable_claims[0].vintage: must be a year from 1990 to 2025; got 2026"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := decodeExample(t)
			ctx := exampleContext(t)
			if c.v2026 {
				ctx.Factors = factors20261(t)
			}
			r.RenewableClaims = r.RenewableClaims[:1] // the eac, with certificates
			r.RenewableClaims[0].Vintage, r.RenewableClaims[0].VintageMonth = c.vintage, c.month
			probs, warns := claimFindings(t, r, ctx)
			if got := strings.Join(probs, "; "); (c.problem == "") != (got == "") || !strings.HasPrefix(got, c.problem) {
				t.Errorf("problems %q, want %q", got, c.problem)
			}
			if got := strings.Join(warns, "; "); got != c.warning {
				t.Errorf("warnings %q, want %q", got, c.warning)
			}
		})
	}
}

// TestInstrumentsWithoutCertificates: under 2026.1 the example's ppa
// without certificate ids is not applied in Japan, which apt-2026.1 does
// not mark no_certificate_system, and the filing says so; in a market so
// marked, or under 2025.1, it counts and nothing is said.
func TestInstrumentsWithoutCertificates(t *testing.T) {
	for _, c := range []struct {
		name       string
		v2026, nos bool
		want       string
	}{
		{name: "2026.1, JP has certificate systems", v2026: true, want: "instrument_not_applied renewable_claims[1].certificates"},
		{name: "2026.1, market marked no_certificate_system", v2026: true, nos: true},
		{name: "2025.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := decodeExample(t)
			ctx := exampleContext(t)
			if c.v2026 {
				fs := *factors20261(t)
				if c.nos {
					fs.Markets = map[string]ledger.Market{"JP": {NoCertificateSystem: true}}
				}
				ctx.Factors = &fs
			}
			probs, warns := claimFindings(t, r, ctx)
			if len(probs) > 0 {
				t.Fatalf("problems: %q", probs)
			}
			if got := strings.Join(warns, "; "); got != c.want {
				t.Errorf("warnings %q, want %q", got, c.want)
			}
		})
	}
}

// TestCertificateKeys: from 2026.1 a certificate is (registry, id): one id
// of two registries may be claimed in one return, and a certificate
// another return claims is a problem naming that return. Under 2025.1 the
// id alone is the key within the return and the ledger is not asked.
func TestCertificateKeys(t *testing.T) {
	claimedBy := func(registry, id string) string {
		if registry == "JEPX" && id == "JP-NFC-2025-000118" {
			return "other-op-2025-Q2-v1"
		}
		return ""
	}
	cases := []struct {
		name     string
		v2026    bool
		registry [2]string // of claims 0 and 1
		want     []string
	}{
		{name: "2026.1, two registries", v2026: true, registry: [2]string{"JEPX", "GreenCert"},
			want: []string{`renewable_claims[0].certificates[0]: certificate "JP-NFC-2025-000118" of registry "JEPX" is already claimed by return other-op-2025-Q2-v1: a certificate counts once in the ledger`}},
		{name: "2026.1, one registry", v2026: true, registry: [2]string{"GreenCert", "GreenCert"},
			want: []string{`renewable_claims[1].certificates[0]: certificate "JP-NFC-2025-000118" is claimed twice (also renewable_claims[0])`}},
		{name: "2025.1, two registries", registry: [2]string{"JEPX", "GreenCert"},
			want: []string{`renewable_claims[1].certificates[0]: certificate "JP-NFC-2025-000118" is claimed twice (also renewable_claims[0])`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := decodeExample(t)
			ctx := exampleContext(t)
			ctx.ClaimedBy = claimedBy
			if c.v2026 {
				ctx.Factors = factors20261(t)
			}
			// The second claim, an eac with one id of the first's.
			r.RenewableClaims[1] = r.RenewableClaims[0]
			r.RenewableClaims[1].Certificates = []string{"JP-NFC-2025-000118"}
			r.RenewableClaims[1].KWh = decimal.NewFromInt(1000)
			r.RenewableClaims[0].Registry, r.RenewableClaims[1].Registry = c.registry[0], c.registry[1]
			probs, _ := claimFindings(t, r, ctx)
			if strings.Join(probs, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(probs, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
