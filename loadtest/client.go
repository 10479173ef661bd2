package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// client is one simulated operator. Only its own goroutine touches it
// until the run ends.
type client struct {
	op, token string
	tmpl      []byte       // the return JSON without its closing brace
	latest    string       // id of the latest version filed
	n         int          // filings so far
	buf       bytes.Buffer // the last answer's body, reused
	measured  time.Time    // requests started before this are the warm-up

	lat          map[Kind][]time.Duration
	statuses     map[Kind]map[int]int64
	transport    int64
	warmupErrors int64 // failed answers in the warm-up
}

// loop runs rounds until ctx ends or the budget is spent: a filing (unless
// ReadOnly), its metrics reads, and every DisclosureEvery rounds a
// disclosure.
func (c *client) loop(ctx context.Context, r *runner, disclosures bool) {
	for round := 0; ctx.Err() == nil && !r.spent(); round++ {
		if !r.cfg.ReadOnly {
			c.file(ctx, r)
		}
		for range r.cfg.ReadsPerFiling {
			if c.latest == "" || !c.get(ctx, r, KindMetrics, "/v1/returns/"+c.latest+"/metrics") {
				break
			}
		}
		if disclosures && round%r.cfg.DisclosureEvery == r.cfg.DisclosureEvery-1 {
			c.get(ctx, r, KindDisclosure, "/v1/operators/"+c.op+"/disclosures/"+r.period+".pdf")
		}
	}
}

// body is the next filing: the first version, then restatements of the
// latest one.
func (c *client) body() []byte {
	b := append([]byte(nil), c.tmpl...)
	if c.latest != "" {
		b = append(b, `,"restates":`...)
		b = strconv.AppendQuote(b, c.latest)
		b = append(b, `,"reason":"load test restatement `...)
		b = strconv.AppendInt(b, int64(c.n), 10)
		b = append(b, '"')
	}
	return append(b, '}')
}

// file files the next version; false when it did not get a 201.
func (c *client) file(ctx context.Context, r *runner) bool {
	if !r.budget() {
		return false
	}
	start := time.Now()
	code, b, err := r.do(ctx, "POST", "/v1/operators/"+c.op+"/returns", c.token, c.body(), &c.buf)
	if !c.record(ctx, r, KindFile, start, code, err, http.StatusCreated, b) {
		return false
	}
	var f struct{ ID string }
	if json.Unmarshal(b, &f) != nil || f.ID == "" {
		r.noteError(fmt.Sprintf("file %s: 201 without an id: %s", c.op, trim(b)))
		return false
	}
	c.latest = f.ID
	c.n++
	return true
}

// get reads path; false when it did not get a 200.
func (c *client) get(ctx context.Context, r *runner, k Kind, path string) bool {
	if !r.budget() {
		return false
	}
	start := time.Now()
	code, b, err := r.do(ctx, "GET", path, c.token, nil, &c.buf)
	return c.record(ctx, r, k, start, code, err, http.StatusOK, b)
}

// record counts one answer. A request cut off because the run ended is
// not counted at all; one started in the warm-up only if it failed.
func (c *client) record(ctx context.Context, r *runner, k Kind, start time.Time, code int, err error, want int, body []byte) bool {
	d := time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		c.transport++
		r.noteError(fmt.Sprintf("%s %s: %v", k, c.op, err))
		return false
	}
	if start.Before(c.measured) {
		if code != want {
			c.warmupErrors++
			r.noteError(fmt.Sprintf("%s %s (warm-up): %d %s", k, c.op, code, trim(body)))
			return false
		}
		return true
	}
	if c.statuses[k] == nil {
		c.statuses[k] = map[int]int64{}
	}
	c.statuses[k][code]++
	c.lat[k] = append(c.lat[k], d)
	if code != want {
		r.noteError(fmt.Sprintf("%s %s: %d %s", k, c.op, code, trim(body)))
		return false
	}
	return true
}

// summarize merges the clients' numbers into rep.
func (r *runner) summarize(rep *Report, clients []*client) {
	want := map[Kind]int{KindFile: http.StatusCreated, KindMetrics: http.StatusOK, KindDisclosure: http.StatusOK}
	for _, k := range kinds {
		var lat []time.Duration
		st := Stats{Kind: k, Statuses: map[int]int64{}}
		for _, c := range clients {
			lat = append(lat, c.lat[k]...)
			for code, n := range c.statuses[k] {
				st.Statuses[code] += n
				st.Count += n
				if code != want[k] {
					st.Errors += n
				}
			}
		}
		if st.Count == 0 {
			continue
		}
		slices.Sort(lat)
		st.P50, st.P99, st.Max = quantile(lat, 0.50), quantile(lat, 0.99), lat[len(lat)-1]
		if rep.Elapsed > 0 {
			st.PerSecond = float64(st.Count) / rep.Elapsed.Seconds()
		}
		rep.Stats = append(rep.Stats, st)
	}
	for _, c := range clients {
		rep.TransportErrors += c.transport
		rep.WarmupErrors += c.warmupErrors
	}
	rep.FirstError = r.firstErr
}

// quantile is the nearest-rank quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}
