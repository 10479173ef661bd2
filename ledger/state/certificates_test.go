package state

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// certFiler files returns with one claim of the given certificates.
type certFiler struct {
	*applier
	versions map[string]int
}

func newCertFiler(t *testing.T) *certFiler {
	a := &applier{t: t, st: New(), at: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)}
	for _, op := range []string{"op-a", "op-b", "op-c", "op-d"} {
		a.must(ledger.KindOperatorRegistered, ledger.Operator{ID: op, Name: op, Country: "JP", Kinds: []string{"mobile"}})
	}
	return &certFiler{applier: a, versions: map[string]int{}}
}

// file files (or restates) op's return for p, claiming certs of registry
// with kwh and vintage 2025, and returns its id.
func (f *certFiler) file(op string, p ledger.Period, registry, kwh string, certs ...string) string {
	key := op + p.String()
	f.versions[key]++
	v := f.versions[key]
	rf := ledger.ReturnFiled{ID: ledger.ReturnID(op, p, v), Version: v, FactorSet: "f", Return: ledger.Return{Operator: op, Period: p}}
	if len(certs) > 0 {
		rf.Return.RenewableClaims = []ledger.RenewableClaim{{Instrument: "eac", Grid: "JP", KWh: decimal.RequireFromString(kwh),
			Technology: "solar", Vintage: 2025, Registry: registry, Certificates: certs}}
	}
	kind := ledger.KindReturnFiled
	if v > 1 {
		rf.Supersedes, kind = ledger.ReturnID(op, p, v-1), ledger.KindReturnRestated
	}
	f.must(kind, rf)
	return rf.ID
}

// TestCertificatesFollowLatestVersions: the certificates table names the
// return that claims a certificate, keyed by (registry, id); a
// restatement moves the claim to the new version, or releases it; the
// same quarter of the same operator may claim its own again.
func TestCertificatesFollowLatestVersions(t *testing.T) {
	f := newCertFiler(t)
	q1, q2 := ledger.Period{Year: 2025, Quarter: 1}, ledger.Period{Year: 2025, Quarter: 2}
	claimedBy := func(op string, p ledger.Period, registry, id, want string) {
		t.Helper()
		if got := f.st.CertificateClaimedBy(op, p, registry, id); got != want {
			t.Errorf("CertificateClaimedBy(%s, %s, %q, %s) = %q, want %q", op, p, registry, id, got, want)
		}
	}
	v1 := f.file("op-a", q1, "JEPX", "1000", "X-1", "X-2")
	claimedBy("op-b", q1, "JEPX", "X-1", v1)
	claimedBy("op-a", q2, "JEPX", "X-1", v1) // another quarter of the same operator
	claimedBy("op-a", q1, "JEPX", "X-1", "") // a restatement of the quarter
	claimedBy("op-b", q1, "", "X-1", "")     // the same id of another registry
	claimedBy("op-b", q1, "JEPX", "X-", "")  // a prefix of an id is another id
	v2 := f.file("op-a", q1, "JEPX", "1000", "X-1")
	claimedBy("op-b", q1, "JEPX", "X-1", v2)
	claimedBy("op-b", q1, "JEPX", "X-2", "") // released by the restatement
	f.file("op-a", q1, "JEPX", "1000")
	claimedBy("op-b", q1, "JEPX", "X-1", "")
	if n := len(dump(t, f.st, tableCerts)); n != 0 {
		t.Fatalf("%d certificate rows after every claim was restated away", n)
	}
	// A certificate two operators claim in the journal (filed before the
	// rule) replays; the first claimer holds it, also against the second.
	b := f.file("op-b", q1, "", "5", "Y")
	f.file("op-c", q1, "", "5", "Y")
	claimedBy("op-d", q1, "", "Y", b)
	claimedBy("op-c", q1, "", "Y", b)
	claimedBy("op-b", q1, "", "Y", "")
}

// TestCertificateLookalikes: certificates of one id pattern on claims of
// the same kWh and vintage by two operators are near-misses; another
// kWh, or the same operator, is not.
func TestCertificateLookalikes(t *testing.T) {
	f := newCertFiler(t)
	q := ledger.Period{Year: 2025, Quarter: 3}
	b := f.file("op-b", q, "JEPX", "1000", "JP-NFC-2025-000118")
	c := f.file("op-c", q, "jepx", "1000.0", "jp-nfc-2025-000119") // case and trailing zeros differ
	f.file("op-d", q, "JEPX", "999", "JP-NFC-2025-000120")         // another kWh
	f.file("op-b", q.Prev(), "JEPX", "1000", "JP-NFC-2025-000121") // op-b's own
	var got []string
	for _, l := range f.st.CertificateLookalikes(b) {
		got = append(got, fmt.Sprintf("%s~%s", l.Mine.ID, l.Theirs.ReturnID))
	}
	if fmt.Sprint(got) != fmt.Sprintf("[JP-NFC-2025-000118~%s]", c) {
		t.Fatalf("lookalikes of %s: %v", b, got)
	}
}
