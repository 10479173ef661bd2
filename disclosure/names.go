package disclosure

import (
	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/templates"
)

// namedUnavailable names each unavailable metric for people
// (disclosure_v4), keeping its key and reason.
func namedUnavailable(us []calculators.Unavailable) []templates.NotAvailable {
	out := make([]templates.NotAvailable, 0, len(us))
	for _, u := range us {
		out = append(out, templates.NotAvailable{Key: u.Metric, Name: calculators.MetricName(u.Metric), Reason: u.Reason})
	}
	return out
}
