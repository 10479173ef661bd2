package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// journalMetrics are the journal's group-commit figures for /metrics: how
// long each batch's fsync took and how many records it carried.
type journalMetrics struct {
	fsync prometheus.Histogram
	batch prometheus.Histogram
}

func newJournalMetrics() *journalMetrics {
	return &journalMetrics{
		fsync: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ictledger_journal_fsync_seconds", Help: "Time of each journal fsync (one per group-commit batch).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ictledger_journal_batch_records", Help: "Records per journal fsync (group-commit batch size).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 13),
		}),
	}
}

// observe is the journal's OnSync hook.
func (jm *journalMetrics) observe(d time.Duration, records int) {
	jm.fsync.Observe(d.Seconds())
	jm.batch.Observe(float64(records))
}

// register adds the metrics to the API's registry.
func (jm *journalMetrics) register(r *prometheus.Registry) {
	r.MustRegister(jm.fsync, jm.batch)
}
