package ledger

import (
	"testing"
	"time"
)

func TestLastEndedQuarter(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-27T22:00:00Z": "2026-Q3", "2026-01-01T00:00:00Z": "2025-Q4", "2026-03-31T23:59:59Z": "2025-Q4",
		"2026-04-01T00:00:00Z": "2026-Q1", "2026-01-01T08:00:00+09:00": "2025-Q3", // still 2025-Q4 in UTC
	} {
		at, err := time.Parse(time.RFC3339, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := LastEndedQuarter(at).String(); got != want {
			t.Errorf("LastEndedQuarter(%s) = %s, want %s", in, got, want)
		}
	}
}
