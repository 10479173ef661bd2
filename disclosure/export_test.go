package disclosure

import (
	"bytes"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// RecordBundle is, for the package's external tests, the region_v2
// bundle of rec in a log of its own (rec.At entries of filler, then the
// record, then two more), and that log's verifier key.
func RecordBundle(t testing.TB, rec *ledger.RegionRecorded) (*Bundle, string) {
	t.Helper()
	l := newTestLog(t, bytes.NewReader(bytes.Repeat([]byte{0x17}, 64)))
	l.fill(rec.At)
	seq := l.addEntry(ledger.KindRegionRecorded, rec)
	l.fill(seq + 3)
	return l.bundle(rec.Period, seq), l.vkey
}
