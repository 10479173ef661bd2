package loadtest

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// WriteText writes the report as a small table.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "load test against %s: %d clients for %v", r.Addr, r.Clients, r.Elapsed.Round(time.Millisecond))
	if r.Warmup > 0 {
		fmt.Fprintf(&b, " after a warm-up of %v", r.Warmup)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "%-11s %9s %10s %10s %10s %10s %7s  %s\n", "kind", "requests", "per second", "p50", "p99", "max", "errors", "statuses")
	server := false
	for _, s := range r.Stats {
		codes := make([]int, 0, len(s.Statuses))
		for c := range s.Statuses {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		var st []string
		for _, c := range codes {
			st = append(st, fmt.Sprintf("%d×%d", c, s.Statuses[c]))
		}
		fmt.Fprintf(&b, "%-11s %9d %10.1f %10s %10s %10s %7d  %s\n", s.Kind, s.Count, s.PerSecond,
			ms(s.P50), ms(s.P99), ms(s.Max), s.Errors, strings.Join(st, " "))
		server = server || s.ServerKnown
	}
	if server {
		fmt.Fprintln(&b, "as the server measured them (its latency histogram; upper bounds of buckets):")
		for _, s := range r.Stats {
			if s.ServerKnown {
				fmt.Fprintf(&b, "%-11s %9s %10s %10s %10s\n", s.Kind, "", "", "≤"+bound(s.ServerP50), "≤"+bound(s.ServerP99))
			}
		}
	}
	switch {
	case r.DisclosuresOff:
		fmt.Fprintln(&b, "disclosure downloads off")
	case !r.Disclosures:
		fmt.Fprintln(&b, "disclosure downloads skipped: the server has no disclosure endpoint")
	}
	fmt.Fprintf(&b, "transport errors: %d\n", r.TransportErrors)
	if r.WarmupErrors > 0 {
		fmt.Fprintf(&b, "unexpected answers in the warm-up: %d\n", r.WarmupErrors)
	}
	if r.FirstError != "" {
		fmt.Fprintf(&b, "first error: %s\n", r.FirstError)
	}
	if r.RSSAfter > 0 {
		fmt.Fprintf(&b, "server resident memory: %.1f MiB before, %.1f MiB after\n", float64(r.RSSBefore)/(1<<20), float64(r.RSSAfter)/(1<<20))
	}
	fmt.Fprintf(&b, "ledger entries: %d before, %d after\n", r.EntriesBefore, r.EntriesAfter)
	_, err := io.WriteString(w, b.String())
	return err
}

// bound formats a bucket bound; the largest duration stands for +Inf.
func bound(d time.Duration) string {
	if d == time.Duration(math.MaxInt64) {
		return "+Inf"
	}
	return ms(d)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
